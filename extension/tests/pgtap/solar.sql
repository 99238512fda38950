-- pgTAP: API shape and invariants of the solar physics family (issue 3).
BEGIN;
SELECT plan(45);

-- types
SELECT has_type('smartregion', 'sun_position', 'type sun_position');
SELECT has_type('smartregion', 'sun_times', 'type sun_times');
SELECT has_type('smartregion', 'clearsky', 'type clearsky');
SELECT has_type('smartregion', 'poa_irradiance', 'type poa_irradiance');
SELECT has_type('smartregion', 'epw_location', 'type epw_location');

-- functions, results, volatility
SELECT has_function('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision']);
SELECT function_returns('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision'], 'smartregion.sun_position');
SELECT volatility_is('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision'], 'immutable');
SELECT is_strict('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision']);
SELECT has_function('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'geometry', 'double precision', 'double precision', 'double precision', 'double precision']);
SELECT volatility_is('smartregion', 'sun_position', ARRAY['timestamp with time zone', 'geometry', 'double precision', 'double precision', 'double precision', 'double precision'], 'stable');
SELECT has_function('smartregion', 'sun_times', ARRAY['date', 'double precision', 'double precision', 'double precision', 'double precision']);
SELECT function_returns('smartregion', 'sun_times', ARRAY['date', 'double precision', 'double precision', 'double precision', 'double precision'], 'smartregion.sun_times');
SELECT has_function('smartregion', 'sun_positions', ARRAY['timestamp with time zone[]', 'double precision[]', 'double precision[]', 'double precision[]', 'double precision', 'double precision', 'double precision']);
SELECT has_function('smartregion', 'sun_positions', ARRAY['timestamp with time zone', 'timestamp with time zone', 'interval', 'double precision[]', 'double precision[]', 'double precision[]', 'double precision', 'double precision', 'double precision']);
SELECT is((SELECT bool_and(proretset) FROM pg_proc WHERE pronamespace = 'smartregion'::regnamespace AND proname IN ('sun_positions', 'sun_positions_grid', 'epw_records')), true, 'bulk forms are set-returning');
SELECT has_function('smartregion', 'sun_positions_grid', ARRAY['timestamp with time zone[]', 'double precision[]', 'double precision[]', 'double precision[]', 'double precision', 'double precision', 'double precision']);
SELECT has_function('smartregion', 'extraterrestrial_irradiance', ARRAY['timestamp with time zone', 'text', 'double precision']);
SELECT function_returns('smartregion', 'extraterrestrial_irradiance', ARRAY['timestamp with time zone', 'text', 'double precision'], 'double precision');
SELECT has_function('smartregion', 'relative_airmass', ARRAY['double precision', 'text']);
SELECT has_function('smartregion', 'absolute_airmass', ARRAY['double precision', 'double precision']);
SELECT has_function('smartregion', 'clearsky_ineichen', ARRAY['double precision', 'double precision', 'double precision', 'double precision', 'double precision']);
SELECT function_returns('smartregion', 'clearsky_ineichen', ARRAY['double precision', 'double precision', 'double precision', 'double precision', 'double precision'], 'smartregion.clearsky');
SELECT has_function('smartregion', 'angle_of_incidence', ARRAY['double precision', 'double precision', 'double precision', 'double precision']);
SELECT has_function('smartregion', 'poa_irradiance', ARRAY['double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'text']);
SELECT function_returns('smartregion', 'poa_irradiance', ARRAY['double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'double precision', 'text'], 'smartregion.poa_irradiance');
SELECT has_function('smartregion', 'epw_records', ARRAY['text']);
SELECT has_function('smartregion', 'epw_location', ARRAY['text']);
SELECT function_returns('smartregion', 'epw_location', ARRAY['text'], 'smartregion.epw_location');

-- every solar function: immutable (but the geometry overload: stable), parallel safe, commented
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
            AND p.proname IN ('sun_position', 'sun_times', 'sun_positions', 'sun_positions_grid',
                              'extraterrestrial_irradiance', 'relative_airmass', 'absolute_airmass',
                              'clearsky_ineichen', 'angle_of_incidence', 'poa_irradiance',
                              'epw_records', 'epw_location')
            AND (p.proparallel <> 's' OR obj_description(p.oid, 'pg_proc') IS NULL
                 OR p.provolatile <> CASE WHEN 'geometry'::regtype = ANY (p.proargtypes::regtype[]) THEN 's' ELSE 'i' END)),
          0, 'solar functions are immutable (geometry: stable), parallel safe and commented');
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
            AND p.proname IN ('sun_position', 'sun_times', 'sun_positions', 'sun_positions_grid',
                              'extraterrestrial_irradiance', 'relative_airmass', 'absolute_airmass',
                              'clearsky_ineichen', 'angle_of_incidence', 'poa_irradiance',
                              'epw_records', 'epw_location')), 14, 'fourteen solar functions');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'solar_physics'), 'service solar_physics registered');
-- sky_agg's transition functions read their location as sun_position(ts,
-- geometry) does, through spatial_ref_sys for an SRID other than 4326: stable
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
            AND p.proname IN ('_sky_agg_transfn', '_sky_agg_met_transfn') AND p.provolatile = 's'),
          2, 'sky_agg''s transition functions (any SRID, read through spatial_ref_sys) are stable');

-- invariants
SELECT ok((SELECT bool_and(abs((p).elevation + (p).zenith - 90) < 1e-9 AND (p).apparent_zenith <= (p).zenith + 1e-12
                           AND (p).azimuth >= 0 AND (p).azimuth < 360)
             FROM (SELECT smartregion.sun_position(t, la, lo) p
                     FROM generate_series('2020-01-01'::timestamptz, '2020-12-31', '7 days 5 hours') t,
                          generate_series(-80, 80, 40) la, generate_series(-170, 170, 85) lo) s),
          'elevation + zenith = 90, refraction raises the sun, azimuth in [0, 360)');
SELECT ok((SELECT bool_and(abs((p).poa_global - 636.2311101832846) < 1e-9)
             FROM unnest(ARRAY['isotropic', 'haydavies', 'perez']) m,
                  smartregion.poa_irradiance(0, 180, 40, 160, 700, 636.2311101832846, 100, 1400, model => m) p),
          'a horizontal plane receives GHI with every sky model');
SELECT is((smartregion.poa_irradiance(90, 0, 30, 180, 800, 700, 100, 1400)).poa_direct, 0::float8,
          'no direct beam when the sun is behind the plane');
SELECT ok((SELECT bool_and((p).poa_global >= (p).poa_direct AND (p).poa_sky_diffuse >= 0 AND (p).poa_ground_diffuse >= 0)
             FROM generate_series(0, 180, 15) tilt, generate_series(0, 345, 15) az,
                  smartregion.poa_irradiance(tilt, az, 50, 200, 600, 500, 115, 1380) p),
          'components are non-negative and global >= direct for every orientation');
SELECT ok((SELECT bool_and(abs((c).ghi - (c).dni * cos(radians(z)) - (c).dhi) < 1e-9)
             FROM generate_series(0, 85, 5) z,
                  smartregion.clearsky_ineichen(z, smartregion.relative_airmass(z), 3.5) c),
          'clear sky closure ghi = dni cos z + dhi');
SELECT ok((SELECT bool_and(smartregion.relative_airmass(z) < smartregion.relative_airmass(z + 1))
             FROM generate_series(0, 88) z), 'airmass increases with the zenith angle');
SELECT ok((SELECT bool_and(abs(smartregion.extraterrestrial_irradiance(t) / smartregion.extraterrestrial_irradiance(t, 'nrel') - 1) < 0.002)
             FROM generate_series('2021-01-01'::timestamptz, '2021-12-31', '5 days') t),
          'spencer and nrel agree within 0.2 %');
SELECT ok((SELECT bool_and(abs(smartregion.angle_of_incidence(0, 0, z, 123) - z) < 1e-9)
             FROM generate_series(0, 180, 10) z), 'aoi on a horizontal plane is the zenith angle');
SELECT is((SELECT count(*)::int FROM smartregion.sun_positions('2021-06-01', '2021-06-02', '1 hour',
                  ARRAY[45.0, 46.0, 47.0], ARRAY[4.0, 5.0, 6.0])), 75, '25 instants x 3 sites');
SELECT is((SELECT min(transit - sunrise) = min(sunset - transit) OR abs(extract(epoch FROM min(transit - sunrise) - min(sunset - transit))) < 120
             FROM smartregion.sun_times('2021-03-20', 45, 5)), true, 'transit halfway between sunrise and sunset (2 min)');
SELECT throws_ok($$SELECT smartregion.sun_position('2021-06-21', 91, 0)$$, '22003', NULL, 'latitude out of range: 22003');
SELECT throws_ok($$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, model => 'nope')$$, '22023', NULL, 'unknown model: 22023');

SELECT * FROM finish();
ROLLBACK;
