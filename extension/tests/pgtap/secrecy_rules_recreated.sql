-- pgTAP: a hub's zae_zones dropped and made again, and its secrecy rules (docs/zones.md,
-- set_secrecy_rules; docs/security-reviews.md#r-zones-recreated; 2026-12-07, h2).  The
-- rules change only while the hub has never held a zone: rows of its zae_zones, contours
-- in its zae_zone_history, or a write of its zae_zones in smartregion.provenance, counted
-- by the table's OID.  The owner dropping zae_zones (DROP TABLE fires no row trigger: its
-- zones leave no contour) and running create_hub again got a table of another OID, and the
-- rules could be changed after a release.  Now a write of a zae_zones of the hub's name
-- since dropped counts too; a live table's rows stay that table's (a renamed hub's).
BEGIN;
SELECT plan(8);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
CREATE ROLE srr_padmin IN ROLE smartregion_platform_admin;
-- (an agent: a writer allowed to record the provenance of its writes)
CREATE ROLE srr_owner IN ROLE smartregion_agent;
\set srr_zone '''INSERT INTO %I.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom) VALUES (1, ''''ZA'''', ''''existant et actif'''', ''''commune'''', DATE ''''2020-01-01'''', ''''91326'''', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)))'''
\set srr_set '''SELECT smartregion.set_secrecy_rules(%L, ''''{"dominance": 0.6}'''')->>''''dominance'''''''

-- a hub whose zone was loaded (a release may exist), then its zae_zones dropped by its
-- owner and made again by create_hub: no zone, no contour, a table of another OID
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('srr_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('srr_hub') \gset
SELECT format(:srr_zone, 'srr_hub') AS q \gset
:q;
SELECT is(pg_temp.as_role('srr_padmin', format(:srr_set, 'srr_hub')), '55000', 'the hub holding a zone: 55000 (as before)');
DROP TABLE srr_hub.zae_zones;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('srr_hub') \gset
SELECT count(*) > 0 AS granted_again FROM smartregion.grant_roles('srr_hub') \gset
SELECT is((SELECT count(*) FROM srr_hub.zae_zones) || '/' || (SELECT count(*) FROM srr_hub.zae_zone_history),
          '0/0', 'zae_zones dropped and made again: no zone, no contour');
-- the platform administrator (it reads every provenance row): on the build before the rules
-- were set, 0.6; now 55000, the dropped table's write counted by the hub's name
SELECT is(pg_temp.as_role('srr_padmin', format(:srr_set, 'srr_hub')), '55000',
          'zae_zones made again: the platform administrator''s set_secrecy_rules 55000 (before: set, 0.6)');
SELECT is(pg_temp.as_role(current_user, format(:srr_set, 'srr_hub')), '55000',
          '... and a superuser''s (before: set)');

-- the hub's owner, no platform administrator, that loaded the zone itself: it reads its own
-- write's provenance row, the dropped table's too
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('srr_hub2') \gset
SELECT count(*) > 0 AS granted2 FROM smartregion.grant_roles('srr_hub2') \gset
GRANT USAGE ON SCHEMA srr_hub2 TO srr_owner;
ALTER TABLE srr_hub2.agents OWNER TO srr_owner;
ALTER TABLE srr_hub2.zae_zones OWNER TO srr_owner;
ALTER TABLE srr_hub2.zae_zone_history OWNER TO srr_owner;
SELECT is(pg_temp.as_role('srr_owner', format(:srr_zone || ' RETURNING zone_id', 'srr_hub2'), true), '1', 'the owner loads a zone');
DROP TABLE srr_hub2.zae_zones;
ALTER TABLE srr_hub2.agents OWNER TO CURRENT_USER;
ALTER TABLE srr_hub2.zae_zone_history OWNER TO CURRENT_USER;
SELECT count(*) > 0 AS again2 FROM smartregion.create_hub('srr_hub2') \gset
ALTER TABLE srr_hub2.agents OWNER TO srr_owner;
ALTER TABLE srr_hub2.zae_zones OWNER TO srr_owner;
ALTER TABLE srr_hub2.zae_zone_history OWNER TO srr_owner;
SELECT is(pg_temp.as_role('srr_owner', format(:srr_set, 'srr_hub2')), '55000',
          'zae_zones made again: the owner''s set_secrecy_rules 55000 (before: set, 0.6)');

-- a hub renamed keeps its provenance rows under its old name, with its table's identity: a
-- new hub made under that name has not held its zones, and its rules may be set
SELECT count(*) > 0 AS hub3 FROM smartregion.create_hub('srr_hub3') \gset
SELECT count(*) > 0 AS granted3 FROM smartregion.grant_roles('srr_hub3') \gset
SELECT format(:srr_zone, 'srr_hub3') AS q3 \gset
:q3;
ALTER SCHEMA srr_hub3 RENAME TO srr_hub3_old;
SELECT count(*) > 0 AS hub3b FROM smartregion.create_hub('srr_hub3') \gset
SELECT count(*) > 0 AS granted3b FROM smartregion.grant_roles('srr_hub3') \gset
SELECT is(pg_temp.as_role('srr_padmin', format(:srr_set, 'srr_hub3')) || '/' || pg_temp.as_role('srr_padmin', format(:srr_set, 'srr_hub3_old')),
          '0.6/55000', 'a new hub under a renamed hub''s name: its rules set (the old rows are the renamed hub''s table''s), the renamed hub''s refused');

-- a hub dropped, and a new one made under its name: the dropped hub's provenance stays (a
-- record of what was done) and its tables are no relation any more, but they are older than
-- the new hub's schema: another hub, whose past is not the new one's (g-registers-identity,
-- hub_drop.sql's hd_f).  The renamed hub dropped, its zone's write recorded under its first
-- name srr_hub3; the new srr_hub3 (no zone) dropped too, and srr_hub3 made again
SELECT count(*) >= 0 AS dropped FROM smartregion.drop_hub('srr_hub3_old') \gset
SELECT count(*) >= 0 AS dropped2 FROM smartregion.drop_hub('srr_hub3') \gset
SELECT count(*) > 0 AS hub4 FROM smartregion.create_hub('srr_hub3') \gset
SELECT count(*) > 0 AS granted4 FROM smartregion.grant_roles('srr_hub3') \gset
SELECT is(pg_temp.as_role('srr_padmin', format(:srr_set, 'srr_hub3')), '0.6',
          'a new hub under the name of a dropped hub that held a zone: its rules set (as before)');

SELECT * FROM finish();
ROLLBACK;
