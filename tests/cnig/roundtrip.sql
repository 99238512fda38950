-- Round trip of the demo's site_eco exchange file (scripts/cnig-test.sh): the
-- CSV read back with COPY gives the zones' surfaces and geometries and the
-- counts of zone_indicators (published, as the export publishes them).
-- psql -v root=<repo> -f tests/cnig/roundtrip.sql, after scripts/demo-zones.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TEMP TABLE rt (
  site_id text, pole_id text, site_nom text, site_type text, site_vocadomi text, site_etat text,
  site_surf_brute float8, site_surf_utile float8, site_creation_date int, site_identif_date date,
  site_actu_date date, source_producteur text, site_description text, site_quali_territoire text,
  site_evol_urba text, site_url text, site_epci_nom text, site_epci_siren text, site_comm_nom text,
  site_comm_insee text, site_moa_type text, site_moa_nom text, site_moa_amngt text, site_moa_comm text,
  site_uf_nbre int, site_uf_vacant_nbre int, site_taux_vacance int, site_uf_bati_nbre int,
  site_nb_etab int, site_nb_emploi int, site_geomsurf text, site_geompoint text, site_media text,
  site_surf_comm_dispo float8, site_surf_projet float8, site_voca_industrielle text,
  site_voca_commerciale text, site_voca_tertiaire text, site_voca_artisanale text,
  site_voca_touristique text, site_voca_portuaire text, site_voca_aeroportuaire text,
  reseau_eau_pluviale text, reseau_eau_potable text, reseau_assainissement text, reseau_gaz text,
  reseau_electrique text, reseau_fibre_optique text, reseau_fret_ferroviaire text, reseau_fluvial text,
  desserte_tc text, desserte_route_nom text, autoroute_nom text, autoroute_echang_dist float8,
  gare_nom text, gare_dist float8, gare_fret_nom text, gare_fret_dist float8, aeroport_nom text,
  aeroport_dist float8, port_nom text, port_dist float8);
\copy rt FROM '.tmp/cnig/site_eco.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')

CREATE TEMP TABLE ind AS
SELECT * FROM smartregion.zone_indicators('SELECT * FROM hub.zae_zones',
  'SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels',
  'SELECT building_id, geom, levels, built_year FROM hub.zae_buildings',
  'SELECT * FROM hub.zae_establishments', '2024-06-30', '{"published": true}');

-- one line per check, "ok - ..." or "not ok - ..."
SELECT CASE WHEN (SELECT count(*) FROM rt) = (SELECT count(*) FROM ind) AND (SELECT count(*) FROM ind) > 0
            THEN 'ok' ELSE 'not ok' END || ' - round trip: one site per zone ('
       || (SELECT count(*) FROM rt) || ' sites, ' || (SELECT count(*) FROM ind) || ' zones)';
-- the terrains: a vacant one (vacant, inoccupé) without a building (terr_usage is
-- "bâti productif" when one stands on it) is available land
CREATE TEMP TABLE rt_terr (
  terr_id text, site_id text, terr_refcad text, terr_surf_brute float8, terr_utile text,
  terr_identif_date date, terr_actu_date date, terr_maitrise_fonc text, terr_stade_amngt text,
  terr_stade_comm text, terr_etat_occup text, terr_usage text, terr_url_cartofriches text,
  terr_geomsurf text, terr_cle_en_main text, terr_acquereur text, terr_cession_date date,
  terr_vente_montant float8, terr_m2_prix float8);
\copy rt_terr FROM '.tmp/cnig/terrain_eco.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')
WITH j AS (
  SELECT r.*, i.*, z.geom AS zgeom,
         (SELECT sum(t.terr_surf_brute) FROM rt_terr t
           WHERE t.site_id = r.site_id AND t.terr_etat_occup IN ('vacant', 'inoccupé')
             AND t.terr_usage IS DISTINCT FROM 'bâti productif') AS avail_terr_ha,
         (SELECT count(*) FROM rt_terr t
           WHERE t.site_id = r.site_id AND t.terr_etat_occup IN ('vacant', 'inoccupé')
             AND t.terr_usage IS DISTINCT FROM 'bâti productif') AS avail_terr_n,
         ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(r.site_geomsurf), 4326), 2154) AS back
    FROM rt r JOIN ind i ON split_part(r.site_id, '_SITE-ECO_', 2)::bigint = i.zone_id
         JOIN hub.zae_zones z ON z.zone_id = i.zone_id)
SELECT CASE WHEN count(*) = (SELECT count(*) FROM ind) AND bool_and(ok) THEN 'ok' ELSE 'not ok' END
       || ' - round trip: site_eco read back with COPY gives the surfaces and counts of zone_indicators'
       || coalesce(' (differs: ' || string_agg(site_id, ', ') FILTER (WHERE NOT ok) || ')', '')
  FROM (SELECT j.site_id,
               -- surfaces: the area and the perimeter itself (1 cm: 7 decimals of a degree)
               j.site_surf_brute = round(j.area_ha::numeric, 4)::float8
               AND abs(ST_Area(j.back) - j.area_ha * 1e4) <= 1e-4 * j.area_ha * 1e4
               AND ST_HausdorffDistance(j.back, j.zgeom) < 0.05
               -- available land: the site's vacant unbuilt terrains, their parts inside
               -- the site (terrain_eco.csv), at most zone_indicators' whole units
               AND abs(j.site_surf_comm_dispo - COALESCE(j.avail_terr_ha, 0)) <= 1e-4 * (j.avail_terr_n + 1)
               AND j.site_surf_comm_dispo <= round(j.available_land_ha::numeric, 4)::float8
               -- counts
               AND j.site_uf_nbre = j.land_units AND j.site_uf_vacant_nbre = j.vacant_land_units
               AND j.site_uf_bati_nbre = j.built_land_units
               AND j.site_taux_vacance IS NOT DISTINCT FROM round((100 * j.vacancy_rate)::numeric)::int
               AND j.site_nb_etab IS NOT DISTINCT FROM j.establishments::int
               AND j.site_nb_emploi IS NOT DISTINCT FROM round(j.jobs_estimate::numeric)::int AS ok
          FROM j) c;
