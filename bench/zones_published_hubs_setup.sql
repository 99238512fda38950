-- docs/performance-zones.md, "The hub's functions checked with the templates rendered once a
-- session" (2026-12-07, h3): nine copies pz2 ... pz10 of the hub pz of
-- zones_published_agent_setup.sql (run it first; -v side=4: 16 zones of 91326, 2 of 91479,
-- 64 parcels, 128 establishments), each made by create_hub with territory security, its
-- agents, zones, parcels and establishments those of pz.  A published call whose text's
-- reads cannot be seen (a PL/pgSQL function, pz_agent's: pz_zones()) is compared with every
-- hub, so it passes only over hubs of the same rows, and asks each hub's
-- _zae_zone_history_hidden, after _hub_functions_stale.   psql -X -d pub -f THIS
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DO $$
DECLARE
  h text;
BEGIN
  FOR i IN 2..10 LOOP
    h := 'pz' || i;
    PERFORM count(*) FROM smartregion.create_hub(h);
    PERFORM count(*) FROM smartregion.grant_roles(h);
    PERFORM count(*) FROM smartregion.enable_territory_security(h);
    EXECUTE format('INSERT INTO %I.agents SELECT * FROM pz.agents', h);
    EXECUTE format('INSERT INTO %I.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility)
                    SELECT zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility FROM pz.zae_zones', h);
    EXECUTE format('INSERT INTO %I.zae_parcels (parcel_id, owner_kind, land_unit_id, geom, territory_code, visibility)
                    SELECT parcel_id, owner_kind, land_unit_id, geom, territory_code, visibility FROM pz.zae_parcels', h);
    EXECUTE format('INSERT INTO %I.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
                    SELECT siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility FROM pz.zae_establishments', h);
  END LOOP;
END
$$;
-- the agent's zones through a function of its own (its reads cannot be seen: every hub)
CREATE OR REPLACE FUNCTION public.pz_zones() RETURNS TABLE (zone_id bigint, geom geometry)
LANGUAGE plpgsql STABLE AS $f$ BEGIN RETURN QUERY SELECT z.zone_id::bigint, z.geom::geometry FROM pz.zae_zones z; END $f$;
ALTER FUNCTION public.pz_zones() OWNER TO pz_agent;
