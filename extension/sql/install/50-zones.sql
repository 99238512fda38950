-- ---------------------------------------------------------------------------
-- Activity-zone observatory (ZAE inventory, Code de l'urbanisme L318-8-1 and
-- L318-8-2; CNIG "Sites economiques" standard).  Reference: docs/zones.md.
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
  published boolean)
AS 'MODULE_PATHNAME', 'sr_fn_zone_indicators'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100;
COMMENT ON FUNCTION @extschema@.zone_indicators(text, text, text, text, date, jsonb) IS
  'indicators of every activity zone on a date: area, land units and statutory vacancy (on 1 January), built footprint and floor-area ratios, active establishments, jobs estimated from INSEE headcount bands, jobs per ha, available land, NAF-section mix and Shannon diversity, data-quality counts; options {"published": true} applies statistical secrecy';

CREATE FUNCTION @extschema@.land_unit_vacancy(
  zones_sql text, parcels_sql text, establishments_sql text, at date DEFAULT CURRENT_DATE,
  vacancy_rule text DEFAULT 'statutory')
RETURNS TABLE (
  land_unit_id text, zone_id bigint, parcels integer, area_m2 float8,
  establishments_ever integer, vacant boolean, reason text,
  last_activity_end date, last_cfe_end date, reference_date date)
AS 'MODULE_PATHNAME', 'sr_fn_land_unit_vacancy'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.land_unit_vacancy(text, text, text, date, text) IS
  'statutory vacancy (L318-8-2) of every land unit on the 1 January of the year of at: vacant when no establishment was active on it in the two preceding years (vacancy_rule cfe_only: no CFE-liable one); reason active_cfe, occupied_non_cfe, never_occupied or no_activity_since';

CREATE FUNCTION @extschema@.land_consumption(
  zones_sql text, parcels_sql text, buildings_sql text, from_year integer, to_year integer)
RETURNS TABLE (
  zone_id bigint, year integer, newly_built_land_units bigint, consumed_ha float8,
  baseline_2011_2020_ha float8, allowance_2021_2030_ha float8,
  consumed_since_2021_ha float8, remaining_allowance_ha float8, on_trajectory boolean)
AS 'MODULE_PATHNAME', 'sr_fn_land_consumption'
LANGUAGE C STABLE STRICT PARALLEL UNSAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.land_consumption(text, text, text, integer, integer) IS
  'land newly built per zone and year (land units by the year of their first building), the 2011-2020 baseline and the ZAN trajectory: 2021-2030 consumption at most half the baseline, with the remaining allowance';

CREATE FUNCTION @extschema@.statistical_secrecy(cells_sql text, rules jsonb DEFAULT NULL)
RETURNS TABLE (row_key text, col_key text, n bigint, value float8, status text, reason text)
AS 'MODULE_PATHNAME', 'sr_fn_statistical_secrecy'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.statistical_secrecy(text, jsonb) IS
  'statistical secrecy of a two-dimensional table (row_key x col_key, with row, column and grand totals): primary suppression (fewer than 3 units, one unit over 85% of the cell, fewer than 11 units in fiscal cells) and secondary suppression so that no suppressed cell can be recomputed from the published cells and totals';

-- CNIG "Sites economiques" export ---------------------------------------------
CREATE FUNCTION @extschema@.cnig_site_eco(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}')
RETURNS TABLE (
  site_id text, pole_id text, site_nom text, site_type text, site_vocadomi text, site_etat text,
  site_surf_brute float8, site_surf_utile float8, site_identif_date text, site_actu_date text,
  site_epci_nom text, site_epci_siren text, site_comm_nom text, site_comm_insee text,
  site_moa_type text, site_uf_nbre integer, site_uf_vacant_nbre integer, site_taux_vacance integer,
  site_uf_bati_nbre integer, site_nb_etab integer, site_nb_emploi integer,
  site_surf_comm_dispo float8,
  site_voca_industrielle text, site_voca_commerciale text, site_voca_tertiaire text,
  site_geomsurf geometry, site_geompoint geometry)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100
AS $$
DECLARE
  pg_schema name;
  opts jsonb := @extschema@._options('cnig_site_eco', options);
BEGIN
  pg_schema := @extschema@._postgis_schema();
  -- an export is a publication: secrecy always applies
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH ind AS (
      SELECT * FROM @extschema@.zone_indicators($1, $2, $3, $4, $5,
               pg_catalog.jsonb_build_object('published', true,
                 'fiscal', coalesce(($6 ->> 'fiscal')::boolean, false))
               || CASE WHEN $6 ? 'rules' THEN pg_catalog.jsonb_build_object('rules', $6 -> 'rules')
                       ELSE '{}'::jsonb END
               || CASE WHEN $6 ? 'vacancy_rule' THEN pg_catalog.jsonb_build_object('vacancy_rule', $6 -> 'vacancy_rule')
                       ELSE '{}'::jsonb END)),
    z AS (
      SELECT q.zone_id::bigint AS zone_id, %1$I.ST_Multi(q.geom) AS geom,
             pg_catalog.to_jsonb(q) - 'geom' AS attrs
        FROM (%2$s) q)
    SELECT coalesce($6 ->> 'site_id_prefix', '') || 'SITE-ECO_' || pg_catalog.lpad(i.zone_id::text, 5, '0'),
           NULL::text,
           coalesce(z.attrs ->> 'site_nom', z.attrs ->> 'name', 'zone ' || i.zone_id),
           coalesce(z.attrs ->> 'site_type', $6 ->> 'site_type', 'Zone d''activité économique'),
           -- dominant vocation: the NAF section with most establishments (published counts first)
           (ARRAY(SELECT s.key FROM pg_catalog.jsonb_each(i.sector_mix) s
                   ORDER BY CASE WHEN pg_catalog.jsonb_typeof(s.value) = 'number' THEN s.value::numeric END
                            DESC NULLS LAST, s.key LIMIT 1))[1],
           coalesce($6 ->> 'site_etat', 'existant et actif'),
           pg_catalog.round(i.area_ha::numeric, 4)::float8,
           pg_catalog.round(i.parcel_area_ha::numeric, 4)::float8,
           coalesce($6 ->> 'identif_date', pg_catalog.to_char($5, 'YYYY-MM-DD')),
           pg_catalog.to_char($5, 'YYYY-MM-DD'),
           $6 ->> 'epci_nom', $6 ->> 'epci_siren',
           coalesce(z.attrs ->> 'comm_nom', $6 ->> 'comm_nom'),
           coalesce(z.attrs ->> 'comm_insee', $6 ->> 'comm_insee'),
           coalesce($6 ->> 'moa_type', 'EPCI'),
           i.land_units::integer, i.vacant_land_units::integer,
           -- L318-8-2: share of vacant land units, in per cent (standard's example: 13)
           pg_catalog.round(100.0 * i.vacancy_rate)::integer,
           i.built_land_units::integer,
           i.establishments::integer,
           pg_catalog.round(i.jobs_estimate)::integer,
           pg_catalog.round(i.available_land_ha::numeric, 4)::float8,
           CASE WHEN i.sector_mix ?| ARRAY['B', 'C', 'D', 'E'] THEN 'oui' ELSE 'non' END,
           CASE WHEN i.sector_mix ? 'G' THEN 'oui' ELSE 'non' END,
           CASE WHEN i.sector_mix ?| ARRAY['H','I','J','K','L','M','N','O','P','Q','R','S','T','U'] THEN 'oui' ELSE 'non' END,
           z.geom, %1$I.ST_PointOnSurface(z.geom)
      FROM ind i JOIN z ON z.zone_id = i.zone_id
     ORDER BY i.zone_id $q$, pg_schema, zones_sql)
  USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts;
END
$$;
COMMENT ON FUNCTION @extschema@.cnig_site_eco(text, text, text, text, date, jsonb) IS
  'activity zones as rows of the CNIG "Sites economiques" standard (class site_eco: site_uf_nbre, site_uf_vacant_nbre, site_taux_vacance, site_nb_etab, site_nb_emploi ...), secrecy applied, ready for ogr2ogr';

CREATE FUNCTION @extschema@.cnig_terrain_eco(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}')
RETURNS TABLE (
  terr_id text, site_id text, terr_refcad text, terr_surf_brute float8, terr_utile text,
  terr_identif_date text, terr_actu_date text, terr_maitrise_fonc text, terr_stade_amngt text,
  terr_stade_comm text, terr_etat_occup text, terr_usage text, terr_geomsurf geometry)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
AS $$
DECLARE
  pg_schema name;
  opts jsonb := @extschema@._options('cnig_terrain_eco', options);
BEGIN
  IF buildings_sql IS NULL THEN
    buildings_sql := 'SELECT NULL::bigint AS building_id, NULL::geometry AS geom WHERE false';
  END IF;
  pg_schema := @extschema@._postgis_schema();
  -- one row per land unit placed in a zone; owners are never exported
  -- (terr_acquereur and prices are left out)
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH v AS (
      SELECT * FROM @extschema@.land_unit_vacancy($1, $2, $3, $4,
               coalesce($5 ->> 'vacancy_rule', 'statutory')) WHERE zone_id IS NOT NULL),
    p AS (
      SELECT coalesce(q.land_unit_id, q.parcel_id) AS unit, q.parcel_id, q.geom
        FROM (%2$s) q),
    u AS (
      SELECT p.unit, pg_catalog.string_agg(p.parcel_id, '|' ORDER BY p.parcel_id) AS refcad,
             %1$I.ST_Multi(%1$I.ST_Union(p.geom)) AS geom
        FROM p WHERE p.unit IN (SELECT land_unit_id FROM v) GROUP BY p.unit),
    b AS (SELECT %1$I.ST_Centroid(q.geom) AS c FROM (%3$s) q)
    SELECT coalesce($5 ->> 'site_id_prefix', '') || 'TERR-ECO_'
             || pg_catalog.lpad((pg_catalog.row_number() OVER (ORDER BY v.zone_id, v.land_unit_id))::text, 5, '0'),
           coalesce($5 ->> 'site_id_prefix', '') || 'SITE-ECO_' || pg_catalog.lpad(v.zone_id::text, 5, '0'),
           u.refcad, pg_catalog.round((v.area_m2 / 1e4)::numeric, 4)::float8, 'oui',
           coalesce($5 ->> 'identif_date', pg_catalog.to_char($4, 'YYYY-MM-DD')),
           pg_catalog.to_char($4, 'YYYY-MM-DD'),
           NULL::text, NULL::text, NULL::text,
           CASE WHEN v.vacant THEN 'vacant' ELSE 'occupé' END,
           CASE WHEN EXISTS (SELECT 1 FROM b WHERE %1$I.ST_Intersects(u.geom, b.c)) THEN 'bâti' ELSE 'non bâti' END,
           u.geom
      FROM v JOIN u ON u.unit = v.land_unit_id
     ORDER BY v.zone_id, v.land_unit_id $q$, pg_schema, parcels_sql, buildings_sql)
  USING zones_sql, parcels_sql, establishments_sql, at, opts;
END
$$;
COMMENT ON FUNCTION @extschema@.cnig_terrain_eco(text, text, text, text, date, jsonb) IS
  'land units of the activity zones as rows of the CNIG "Sites economiques" class terrain_eco (terr_refcad, terr_surf_brute, terr_etat_occup from the statutory vacancy, terr_usage built or not); owners and prices are never exported';

-- Hub tables (after the CNIG standard) --------------------------------------------
CREATE FUNCTION @extschema@._zae_owner_visibility() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1
AS $$
BEGIN
  -- owners who are natural persons are personal data: their parcels are restricted
  IF NEW.owner_kind = 'natural_person' THEN
    NEW.visibility := 'restricted';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_owner_visibility() IS
  'internal: trigger of zae_parcels making the rows of natural-person owners restricted';

DO $do$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
BEGIN
  PERFORM @extschema@.register_hub_table('zae_zones', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_zones (
      zone_id    bigint PRIMARY KEY,
      site_nom   text NOT NULL,
      site_type  text NOT NULL DEFAULT 'Zone d''activité économique',
      comm_insee text CHECK (comm_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
      epci_siren text CHECK (epci_siren ~ '^[0-9]{9}$'),
      geom       @g@.geometry(MultiPolygon, %2$s) NOT NULL CHECK (@g@.ST_IsValid(geom)))
  $ddl$, '@g@', g), 50);
  PERFORM @extschema@.register_hub_table('zae_parcels', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_parcels (
      parcel_id    text PRIMARY KEY,
      land_unit_id text,
      owner_id     text,
      owner_kind   text CHECK (owner_kind IN ('legal_person', 'public', 'natural_person')),
      geom         @g@.geometry(MultiPolygon, %2$s) NOT NULL);
    CREATE OR REPLACE TRIGGER zae_parcels_owner_visibility
      BEFORE INSERT OR UPDATE ON %1$I.zae_parcels
      FOR EACH ROW EXECUTE FUNCTION @extschema@._zae_owner_visibility()
  $ddl$, '@g@', g), 51);
  PERFORM @extschema@.register_hub_table('zae_buildings', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_buildings (
      building_id bigint PRIMARY KEY,
      levels      integer CHECK (levels >= 1),
      built_year  integer CHECK (built_year BETWEEN 1000 AND 2200),
      geom        @g@.geometry(MultiPolygon, %2$s) NOT NULL)
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
      geom           @g@.geometry(Point, %2$s))
  $ddl$, '@g@', g), 53);
END
$do$;

SELECT @extschema@.register_service('activity_zones', '0.1.0',
  'activity-zone observatory: statutory ZAE inventory, vacancy, indicators, land consumption (ZAN), statistical secrecy and CNIG site_eco export',
  ARRAY['zone_indicators', 'land_unit_vacancy', 'land_consumption', 'statistical_secrecy', 'cnig_site_eco',
        'cnig_terrain_eco']);
