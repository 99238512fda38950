-- 20-solar.sql — solar physics (issue 3): NREL SPA sun position, sunrise /
-- transit / sunset, bulk positions, extraterrestrial irradiance, airmass,
-- Ineichen clear sky, angle of incidence, plane-of-array irradiance
-- (isotropic, Hay-Davies, Perez 1990) and EnergyPlus weather files.
-- Conventions (pvlib's): degrees, azimuths clockwise from north (180 =
-- south), tilt from horizontal, W/m2; every timestamp computed in UTC.
-- Reference page: docs/solar.md.

-- Types ----------------------------------------------------------------------
CREATE TYPE @extschema@.sun_position AS (
  zenith             float8,
  apparent_zenith    float8,
  elevation          float8,
  apparent_elevation float8,
  azimuth            float8,
  equation_of_time   float8
);
COMMENT ON TYPE @extschema@.sun_position IS
  'sun position (NREL SPA): topocentric zenith and elevation without and with refraction, azimuth clockwise from north (deg), equation of time (minutes)';

CREATE TYPE @extschema@.sun_times AS (
  sunrise timestamptz,
  transit timestamptz,
  sunset  timestamptz
);
COMMENT ON TYPE @extschema@.sun_times IS
  'sunrise, sun transit (solar noon) and sunset of a day (SPA appendix A.2''s definitions, each event solved with the full SPA); sunrise or sunset NULL when the sun does not cross the horizon in its half day (polar day or night)';

CREATE TYPE @extschema@.clearsky AS (
  ghi float8,
  dni float8,
  dhi float8
);
COMMENT ON TYPE @extschema@.clearsky IS
  'clear-sky irradiance (W/m2): global horizontal, direct normal, diffuse horizontal';

CREATE TYPE @extschema@.poa_irradiance AS (
  poa_global         float8,
  poa_direct         float8,
  poa_diffuse        float8,
  poa_sky_diffuse    float8,
  poa_ground_diffuse float8
);
COMMENT ON TYPE @extschema@.poa_irradiance IS
  'plane-of-array irradiance components (W/m2): global = direct + diffuse, diffuse = sky diffuse + ground-reflected diffuse';

CREATE TYPE @extschema@.epw_location AS (
  name      text,
  lat       float8,
  lon       float8,
  tz        float8,
  elevation float8,
  country   text,
  source    text,
  wmo       text
);
COMMENT ON TYPE @extschema@.epw_location IS
  'LOCATION line of an EnergyPlus weather file: name, latitude, longitude (deg), time zone (hours from UTC), elevation (m), country, data source, WMO station number';

-- Sun position ---------------------------------------------------------------
CREATE FUNCTION @extschema@.sun_position(
  ts timestamptz, lat float8, lon float8, elevation_m float8 DEFAULT 0,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS @extschema@.sun_position
AS 'MODULE_PATHNAME', 'sr_fn_sun_position'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.sun_position(timestamptz, float8, float8, float8, float8, float8, float8) IS
  'sun position at a site and instant with NREL''s Solar Position Algorithm (Reda & Andreas 2004, +/-0.0003 deg); refraction from pressure (hPa) and temperature (C); delta_t_s = TT - UT in seconds';

-- The geometry overload: a point of any SRID but 0, read and transformed to
-- WGS84 in C by the geometry bridge (extension/pg/geometry.c); STABLE as it
-- reads spatial_ref_sys.  _to_lonlat is the same reader for SQL (the
-- benches' copies of the old PL/pgSQL functions call it).
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._to_lonlat(location @postgis@.geometry, what text DEFAULT 'location')
RETURNS @postgis@.geometry
AS 'MODULE_PATHNAME', 'sr_fn_to_lonlat'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100$ddl$);
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.sun_position(
  ts timestamptz, location @postgis@.geometry, elevation_m float8 DEFAULT 0,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS @extschema@.sun_position
AS 'MODULE_PATHNAME', 'sr_fn_sun_position_geom'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100$ddl$);
SELECT @extschema@._run_ddl($ddl$
COMMENT ON FUNCTION @extschema@._to_lonlat(@postgis@.geometry, text) IS
  'internal: a place on Earth given as a point of any SRID but 0, in WGS84 (z kept; NULL gives NULL), read as sun_position reads its location: a point (not a measured POINTM), not empty, with finite coordinates and an SRID; in SRID 4326 a longitude and latitude in range (22003), in another SRID one in spatial_ref_sys whose domain holds it (22023); errors name what'$ddl$);
SELECT @extschema@._run_ddl($ddl$
COMMENT ON FUNCTION @extschema@.sun_position(timestamptz, @postgis@.geometry, float8, float8, float8, float8) IS
  'sun position (NREL SPA) at a point of any SRID but 0 (its z is not used: elevation_m is), transformed to WGS84 in C with the SRID''s domain checked; a pole given in a polar projection is accepted'$ddl$);

CREATE FUNCTION @extschema@.sun_times(
  day date, lat float8, lon float8, tz_offset_h float8 DEFAULT NULL,
  delta_t_s float8 DEFAULT 67)
RETURNS @extschema@.sun_times
AS 'MODULE_PATHNAME', 'sr_fn_sun_times'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.sun_times(date, float8, float8, float8, float8) IS
  'sunrise, transit and sunset (SPA appendix A.2''s definitions, each event solved at its instant with the full SPA) around the transit of the local day starting at day 00:00 in UTC+tz_offset_h (default lon/15, local mean time): the sunrise of the half day before it, the sunset of the half day after it, NULL when the sun does not cross the horizon then (polar day or night); NULL day, lat, lon or delta_t_s give NULL';

-- Bulk sun positions ----------------------------------------------------------
CREATE FUNCTION @extschema@.sun_positions(
  ts timestamptz[], lat float8[], lon float8[], elevation_m float8[] DEFAULT NULL,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS TABLE (ts timestamptz, site int, zenith float8, apparent_zenith float8,
               elevation float8, apparent_elevation float8, azimuth float8,
               equation_of_time float8)
AS 'MODULE_PATHNAME', 'sr_fn_sun_positions'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.sun_positions(timestamptz[], float8[], float8[], float8[], float8, float8, float8) IS
  'bulk NREL SPA: one row per (timestamp, site), site = 1-based index into lat/lon; the time part of SPA is computed once per timestamp and shared by all sites; elevation_m NULL means 0 m; a NULL ts, lat, lon, pressure, temperature or delta_t gives no rows';

CREATE FUNCTION @extschema@.sun_positions(
  start_ts timestamptz, stop_ts timestamptz, step interval,
  lat float8[], lon float8[], elevation_m float8[] DEFAULT NULL,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS TABLE (ts timestamptz, site int, zenith float8, apparent_zenith float8,
               elevation float8, apparent_elevation float8, azimuth float8,
               equation_of_time float8)
AS 'MODULE_PATHNAME', 'sr_fn_sun_positions_range'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.sun_positions(timestamptz, timestamptz, interval, float8[], float8[], float8[], float8, float8, float8) IS
  'bulk NREL SPA over the timestamps start_ts, start_ts + step, ... <= stop_ts (step without months) at many sites: one row per (timestamp, site)';

CREATE FUNCTION @extschema@.sun_positions_grid(
  ts timestamptz[], lat float8[], lon float8[], elevation_m float8[] DEFAULT NULL,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS TABLE (ts timestamptz, equation_of_time float8, zenith float8[],
               apparent_zenith float8[], azimuth float8[])
AS 'MODULE_PATHNAME', 'sr_fn_sun_positions_grid'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.sun_positions_grid(timestamptz[], float8[], float8[], float8[], float8, float8, float8) IS
  'fastest bulk NREL SPA: one row per timestamp with the zenith, apparent zenith and azimuth of every site as arrays in the order of lat/lon';

-- Irradiance -----------------------------------------------------------------
CREATE FUNCTION @extschema@.extraterrestrial_irradiance(
  ts timestamptz, method text DEFAULT 'spencer', solar_constant float8 DEFAULT 1366.1)
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_fn_extraterrestrial_irradiance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.extraterrestrial_irradiance(timestamptz, text, float8) IS
  'extraterrestrial normal irradiance (W/m2) at ts: method spencer (1971), asce (2005) on the UTC day of year, or nrel (SPA earth-sun distance); solar constant 1366.1 W/m2';

CREATE FUNCTION @extschema@.relative_airmass(zenith float8, model text DEFAULT 'kastenyoung1989')
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_fn_relative_airmass'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.relative_airmass(float8, text) IS
  'relative (not pressure-corrected) optical airmass of a zenith angle (deg): kastenyoung1989, kasten1966, simple, pickering2002, youngirvine1967, young1994, gueymard1993; NULL when zenith > 90 (youngirvine1967: > 86.56, where its polynomial stops rising)';

CREATE FUNCTION @extschema@.absolute_airmass(airmass_relative float8, pressure_pa float8 DEFAULT 101325)
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_fn_absolute_airmass'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.absolute_airmass(float8, float8) IS
  'pressure-corrected airmass: airmass_relative * pressure_pa / 101325, airmass_relative in [0.999, 1000] (1 with the sun at the zenith), pressure_pa in [22000, 120000] Pa (the air of a site on Earth)';

CREATE FUNCTION @extschema@.clearsky_ineichen(
  apparent_zenith float8, airmass_absolute float8, linke_turbidity float8,
  altitude_m float8 DEFAULT 0, dni_extra float8 DEFAULT 1364)
RETURNS @extschema@.clearsky
AS 'MODULE_PATHNAME', 'sr_fn_clearsky_ineichen'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.clearsky_ineichen(float8, float8, float8, float8, float8) IS
  'Ineichen & Perez (2002) clear-sky GHI, DNI, DHI (W/m2) from apparent zenith, absolute airmass and Linke turbidity, without the Perez enhancement (as pvlib.clearsky.ineichen)';

CREATE FUNCTION @extschema@.angle_of_incidence(
  surface_tilt float8, surface_azimuth float8, solar_zenith float8, solar_azimuth float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_fn_angle_of_incidence'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.angle_of_incidence(float8, float8, float8, float8) IS
  'angle (deg, 0..180) between the sun and the normal of a plane of given tilt and azimuth';

CREATE FUNCTION @extschema@.poa_irradiance(
  surface_tilt float8, surface_azimuth float8, solar_zenith float8, solar_azimuth float8,
  dni float8, ghi float8, dhi float8, dni_extra float8 DEFAULT NULL,
  airmass_relative float8 DEFAULT NULL, albedo float8 DEFAULT 0.25,
  model text DEFAULT 'perez')
RETURNS @extschema@.poa_irradiance
AS 'MODULE_PATHNAME', 'sr_fn_poa_irradiance'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.poa_irradiance(float8, float8, float8, float8, float8, float8, float8, float8, float8, float8, text) IS
  'plane-of-array irradiance (W/m2) with sky diffuse model isotropic, haydavies or perez (Perez et al. 1990, allsitescomposite1990); dni_extra required by haydavies and perez; airmass_relative in [0.999, 1000] (as absolute_airmass), NULL = Kasten-Young 1989 of solar_zenith; NULL in another argument gives NULL';

-- Weather files ----------------------------------------------------------------
CREATE FUNCTION @extschema@.epw_location(content text)
RETURNS @extschema@.epw_location
AS 'MODULE_PATHNAME', 'sr_fn_epw_location'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.epw_location(text) IS
  'site of an EnergyPlus weather (EPW) file: its LOCATION line';

CREATE FUNCTION @extschema@.epw_records(content text)
RETURNS TABLE (ts timestamptz, ghi float8, dni float8, dhi float8, temp_air float8,
               wind_speed float8, pressure_pa float8, albedo float8, temp_dew float8,
               relative_humidity float8, wind_direction float8,
               year int, month int, day int, hour int)
AS 'MODULE_PATHNAME', 'sr_fn_epw_records'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 8760;
COMMENT ON FUNCTION @extschema@.epw_records(text) IS
  'hourly records of an EnergyPlus weather (EPW) file: ts = end of the hour in UTC (from the file''s time zone), irradiance W/m2, temperatures C, wind m/s and deg, pressure Pa, albedo; missing values are NULL';

SELECT @extschema@.register_service('solar_physics', '0.1.0',
  'solar physics: NREL SPA sun position, clear sky, plane-of-array irradiance, EPW weather files',
  ARRAY['sun_position', 'sun_times', 'sun_positions', 'sun_positions_grid',
        'extraterrestrial_irradiance', 'relative_airmass', 'absolute_airmass',
        'clearsky_ineichen', 'angle_of_incidence', 'poa_irradiance',
        'epw_records', 'epw_location']);
