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
  AS 'MODULE_PATHNAME', 'sr_fn_solar_cadastre_cells' LANGUAGE C STABLE PARALLEL RESTRICTED COST 10000 ROWS 100000
$ddl$);
COMMENT ON FUNCTION @extschema@.solar_cadastre_cells(text, @extschema@.sky, jsonb) IS
  'the sample cells of every roof face of solar_cadastre (same arguments and options, sampling area): each cell''s square in the roof plane, its share of the face and of the usable area, its annual irradiation on the roof and on the PV plane, and whether it is sunny (reaches sunny_class)';

-- an entry point of the service solar_cadastre (30-cadastre.sql registered it)
SELECT @extschema@.register_service(s.name, s.version, s.description,
                                    s.entry_points OPERATOR(pg_catalog.||) ARRAY['solar_cadastre_cells'])
  FROM @extschema@.service s WHERE s.name OPERATOR(pg_catalog.=) 'solar_cadastre';
