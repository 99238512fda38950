-- A hub for timing what ST_Transform costs solar_tile (bench/tiles_transform.sh): the demo's
-- Lyon 1er buildings and sky with their roof faces (refresh_solar_roofs, one point a face)
-- and roof cells (bench/roof_cells_refresh_setup.sql), then copies of hub.solar_roofs and
-- hub.solar_roof_cells carrying each geometry already in Web Mercator (g3857), and
-- sr_bench.tile: solar_tile's query with the tile's geometry given as an expression, so the
-- same tile is timed with ST_Transform per row and without it.
--   createdb DB && psql -X -d DB -f bench/tiles_transform_setup.sql   (from the repository root)
\ir roof_cells_refresh_setup.sql
SELECT * FROM smartregion.refresh_solar_roofs(
  (SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility
     FROM hub.buildings');
ANALYZE hub.solar_roofs;
CREATE SCHEMA sr_bench;
CREATE TABLE sr_bench.roofs AS SELECT r.*, ST_Transform(ST_Force2D(r.geom), 3857) AS g3857 FROM hub.solar_roofs r;
CREATE INDEX ON sr_bench.roofs USING gist (geom);
CREATE TABLE sr_bench.cells AS SELECT r.*, ST_Transform(ST_Force2D(r.geom), 3857) AS g3857 FROM hub.solar_roof_cells r;
CREATE INDEX ON sr_bench.cells USING gist (geom);
ANALYZE sr_bench.roofs;
ANALYZE sr_bench.cells;
-- solar_tile's query (30-cadastre.sql, since 2026-12-07: the NULL features left out by the
-- aggregate's FILTER) over sr_bench.roofs or sr_bench.cells (superuser: no
-- policy, so no tile_key ranges), the feature's geometry being gexpr
CREATE FUNCTION sr_bench.tile(z int, x int, y int, tbl text, gexpr text) RETURNS bytea
LANGUAGE plpgsql STABLE SET jit = off AS $f$
DECLARE cells boolean := tbl = 'sr_bench.cells'; tile bytea;
BEGIN
  EXECUTE format($q$
    SELECT ST_AsMVT(t, %2$L, 4096, 'geom') FILTER (WHERE t.geom IS NOT NULL) FROM (
      SELECT r.building_id, r.face,
             round((r.annual_kwh_m2 * 10)::float8) / 10 AS annual_kwh_m2,
             %3$s,
             ST_AsMVTGeom(%4$s, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
        FROM %1$s r
       WHERE r.geom && ST_Transform(ST_Segmentize(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096),
               40075016.68557849 / (2 ^ $1) / 16), 2154)
       ORDER BY r.building_id, r.face, r.geom) t$q$, tbl,
    CASE WHEN cells THEN 'cells' ELSE 'roofs' END,
    CASE WHEN cells THEN
      $c$round((r.pv_plane_kwh_m2 * 10)::float8) / 10 AS pv_plane_kwh_m2,
             round((r.usable_area_m2 * 100)::float8) / 100 AS usable_area_m2, r.sunny$c$
    ELSE
      $c$round((r.shading_loss_pct * 10)::float8) / 10 AS shading_loss_pct,
             round((r.pv_kwp * 100)::float8) / 100 AS pv_kwp,
             round(r.pv_kwh_year::float8) AS pv_kwh_year, r.potential_class$c$
    END, gexpr)
    INTO tile USING z, x, y;
  RETURN coalesce(tile, ''::bytea);
END $f$;
