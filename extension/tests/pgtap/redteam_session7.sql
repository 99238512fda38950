-- pgTAP: red team of the session of 2026-12-07 (h9), attacking what it landed: a zone's
-- identity in its history (zae_zones.zone_uid, docs/zones.md#zone-identity), a 3D object moved
-- to another territory taking its parts and surfaces (_hub_restrict_derived,
-- docs/security-reviews.md#r-derived-city-move), the governance functions' preamble
-- (_hub_enter, query.c) and the pseudonym's digits computed once (_pseudonym_sql).  Each
-- attack is an assertion of what must hold; those that failed against this build are kept
-- as regression tests (docs/security-reviews.md#red-team-of-the-session-2026-12-07-h9).
-- Two territories that must not see each other: 91326 (rt7_a) and 91479 (rt7_b); rt7_m an
-- agent of both, rt7_d of departement 11, rt7_r a reader, rt7_an an analyst, rt7_p a
-- platform administrator.
BEGIN;
SELECT plan(60);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rt7') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rt7') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('rt7') \gset
CREATE ROLE rt7_a IN ROLE smartregion_agent;
CREATE ROLE rt7_b IN ROLE smartregion_agent;
CREATE ROLE rt7_m IN ROLE smartregion_agent;
CREATE ROLE rt7_d IN ROLE smartregion_agent;
CREATE ROLE rt7_r IN ROLE smartregion_reader;
INSERT INTO rt7.agents (role_name, territory_code, territory_type) VALUES
  ('rt7_a', '91326', NULL), ('rt7_b', '91479', NULL), ('rt7_m', '91326', NULL), ('rt7_m', '91479', NULL),
  ('rt7_d', '11', 'departement');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;

CREATE FUNCTION pg_temp.s(x float8, y float8) RETURNS geometry LANGUAGE sql IMMUTABLE
  AS $$ SELECT ST_Multi(ST_MakeEnvelope(x, y, x + 100, y + 100, 2154)) $$;
-- how many contours of the history equal to square (x, y) the role reads
CREATE FUNCTION pg_temp.reads(r name, x float8, y float8) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role(r, format('SELECT count(*) FROM rt7.zae_zone_history WHERE ST_Equals(geom, %L::geometry)', pg_temp.s(x, y)))
$$;

-- 1. Zones: forged zone_uids.  91326's public zone 1 drawn at A, redrawn: contour A public
INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA un', '91326', pg_temp.s(650100, 6860100), '91326', 'public');
UPDATE rt7.zae_zones SET geom = pg_temp.s(650100, 6860250) WHERE zone_id = 1;
SELECT zone_uid AS uid1 FROM rt7.zae_zones WHERE zone_id = 1 \gset
SELECT is(pg_temp.as_role('rt7_b', format($$INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (91, 'ZA b', '91479', %L, '91479', 'restricted', %s);
  UPDATE rt7.zae_zones SET site_nom = 'ZA b2' WHERE zone_id = 91 RETURNING zone_uid::text$$, pg_temp.s(651200, 6860200), :uid1), true),
  '42501', 'the agent of 91479 cannot insert its restricted zone 91 with 91326 zone 1''s zone_uid (42501: no INSERT on zone_uid since 2026-12-08, h8; identity ALWAYS does not stop OVERRIDING SYSTEM VALUE, and the build before took it)');
SELECT is(pg_temp.reads('rt7_r', 650100, 6860100) || pg_temp.reads('rt7_b', 650100, 6860100), '11',
  'zone 1''s contour A stays public: a reader and 91479''s agent read it (the forged zone_uid of another territory restricts nothing)');
SELECT is(pg_temp.as_role('rt7_b', $$UPDATE rt7.zae_zone_history SET visibility = 'restricted' RETURNING id::text$$), '<null>',
  '91479''s agent, holding zone 1''s zone_uid, updates no contour of 91326 (row-level security: none is its)');
-- a NULL zone_uid (a restricted zone whose contours the identity rule would not find)
SELECT is(pg_temp.as_role('rt7_a', format($$INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (2, 'ZA deux', '91326', %L, '91326', 'restricted', NULL) RETURNING zone_id::text$$, pg_temp.s(650300, 6860300))),
  '42501', 'a zone_uid cannot be NULL, not even given by hand (42501 since 2026-12-08: not given at all; 23502 before: an identity column is NOT NULL)');
-- changed through INSERT ... ON CONFLICT DO UPDATE, or to a value (the generated column)
SELECT is(pg_temp.as_role('rt7_a', format($$INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility)
    VALUES (1, 'ZA un', '91326', %L, '91326', 'public') ON CONFLICT (zone_id) DO UPDATE SET zone_uid = DEFAULT RETURNING zone_uid::text$$, pg_temp.s(650100, 6860250))),
  '42501', 'nor changed through INSERT ... ON CONFLICT DO UPDATE SET zone_uid = DEFAULT (42501, sr_zae_zone_uid_fixed)');
SELECT is(pg_temp.as_role('rt7_a', $$UPDATE rt7.zae_zones SET zone_uid = zone_uid + 1 WHERE zone_id = 1 RETURNING zone_uid::text$$),
  '428C9', 'nor set to a value (428C9: a column GENERATED ALWAYS takes DEFAULT only)');
-- h6: the worst a forged zone_uid did was restrict its own territory's contours (91326's
-- agent inserting restricted zone 3 with zone 1's zone_uid made zone 1's contour A
-- restricted, zone 1 public).  Since 2026-12-08 (h8) refused: A stays public
SELECT is(pg_temp.as_role('rt7_a', format($$INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (3, 'ZA trois', '91326', %L, '91326', 'restricted', %s) RETURNING zone_id::text$$, pg_temp.s(650500, 6860500), :uid1), true),
  '42501', '91326''s agent cannot insert restricted zone 3 with its own zone 1''s zone_uid (42501; the build before: 3)');
SELECT is(pg_temp.reads('rt7_r', 650100, 6860100) || pg_temp.reads('rt7_a', 650100, 6860100)
          || (SELECT visibility::text FROM rt7.zae_zones WHERE zone_id = 1), '11public',
  'zone 1''s contour A stays public, as zone 1 (the build before: 01public, the forger restricted its own territory''s contour)');
-- the way back: no role but the owner makes a restricted contour public again (the owner
-- makes A restricted first, as the forger did before)
UPDATE rt7.zae_zone_history SET visibility = 'restricted' WHERE zone_id = 1;
SELECT is(pg_temp.as_role('rt7_a', $$UPDATE rt7.zae_zone_history SET visibility = 'public' WHERE zone_id = 1 RETURNING id::text$$),
  '42501', 'the agent cannot make the contour public again (append-only, 42501)');
-- a code two territory types share (Île-de-France is region 11, Aude departement 11): the
-- owner's public zone 5 of region 11 redrawn (contour R, of type region); the agent of
-- departement 11 inserts a restricted zone of code 11 and no type, with zone 5's zone_uid
INSERT INTO rt7.zae_zones (zone_id, site_nom, geom, territory_code, territory_type, visibility) VALUES
  (5, 'ZA cinq', pg_temp.s(650700, 6860700), '11', 'region', 'public');
UPDATE rt7.zae_zones SET geom = pg_temp.s(650700, 6860850) WHERE zone_id = 5;
SELECT zone_uid AS uid5 FROM rt7.zae_zones WHERE zone_id = 5 \gset
SELECT is(pg_temp.as_role('rt7_d', format($$INSERT INTO rt7.zae_zones (zone_id, site_nom, geom, territory_code, territory_type, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (95, 'ZA d', %L, '11', NULL, 'restricted', %s) RETURNING zone_id::text$$, pg_temp.s(650900, 6860900), :uid5), true),
  '42501', 'the agent of departement 11 cannot insert a zone of code 11 and no type with zone 5''s zone_uid (42501 since 2026-12-08: no INSERT on zone_uid; 23514 before: a code two types share needs its type), with which it would have taken region 11 zone 5''s contours');

UPDATE rt7.zae_zones SET site_nom = site_nom || '';
SELECT is(pg_temp.reads('rt7_r', 650700, 6860700), '1', 'region 11''s contour R stays public, after the owner''s update of every zone too');

-- 2. 3D objects moved: every way an UPDATE can be written.  The objects and surfaces of a
-- chain, as "id:territory"
CREATE FUNCTION pg_temp.objs(pfx text) RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(id || ':' || territory_code, ',' ORDER BY id) FROM rt7.city_object WHERE id LIKE pfx || '%'$$;
CREATE FUNCTION pg_temp.surfs(pfx text) RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(object_id || ':' || territory_code, ',' ORDER BY object_id, id) FROM rt7.city_surface WHERE object_id LIKE pfx || '%'$$;
-- what a role reads of a chain: objects and surfaces counted
CREATE FUNCTION pg_temp.sees(r name, pfx text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role(r, format('SELECT count(*)::text FROM rt7.city_object WHERE id LIKE %L', pfx || '%')) || ' '
      || pg_temp.as_role(r, format('SELECT count(*)::text FROM rt7.city_surface WHERE object_id LIKE %L', pfx || '%'))
$$;
-- 91326's restricted chains: Building <p> -> part <p>P -> part <p>Q, a surface on <p>Q
CREATE FUNCTION pg_temp.chain(p text) RETURNS text LANGUAGE sql AS $$
  INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES (p, 'Building', NULL, '91326', 'restricted'), (p || 'P', 'BuildingPart', p, '91326', 'restricted'),
           (p || 'Q', 'BuildingPart', p || 'P', '91326', 'restricted');
  INSERT INTO rt7.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES (p || 'Q', 'RoofSurface', ST_GeomFromText('POLYGON Z ((650000 6860000 50, 650010 6860000 50, 650010 6860010 50, 650000 6860000 50))', 2154), '91326', 'restricted');
  SELECT p
$$;
SELECT is(pg_temp.as_role('rt7_a', $$SELECT pg_temp.chain('K1') || pg_temp.chain('K2') || pg_temp.chain('K3') || pg_temp.chain('K4') || pg_temp.chain('K5') || pg_temp.chain('K6')$$, true),
  'K1K2K3K4K5K6', '91326''s agent writes six restricted chains K1..K6 (Building, part, part of the part with a surface)');
SELECT is(pg_temp.sees('rt7_b', 'K'), '0 0', 'the agent of 91479 reads none of them');

-- INSERT ... ON CONFLICT DO UPDATE moving the Building
SELECT is(pg_temp.as_role('rt7_m', $$INSERT INTO rt7.city_object (id, type, territory_code, visibility) VALUES ('K1', 'Building', '91479', 'restricted')
  ON CONFLICT (id) DO UPDATE SET territory_code = EXCLUDED.territory_code RETURNING territory_code$$, true), '91479',
  'the agent of both moves K1 to 91479 with INSERT ... ON CONFLICT DO UPDATE');
SELECT is(pg_temp.objs('K1') || ' ' || pg_temp.surfs('K1'), 'K1:91479,K1P:91479,K1Q:91479 K1Q:91479', 'its parts and their surface follow');
SELECT is(pg_temp.sees('rt7_a', 'K1') || ' / ' || pg_temp.sees('rt7_b', 'K1'), '0 0 / 3 1', '91326''s agent reads none of them, 91479''s all');

-- MERGE
SELECT is(pg_temp.as_role('rt7_m', $$MERGE INTO rt7.city_object c USING (VALUES ('K2')) v(id) ON c.id = v.id
  WHEN MATCHED THEN UPDATE SET territory_code = '91479'; SELECT 'merged'$$, true), 'merged', 'the agent of both moves K2 with MERGE');
SELECT is(pg_temp.objs('K2') || ' ' || pg_temp.surfs('K2'), 'K2:91479,K2P:91479,K2Q:91479 K2Q:91479', 'its parts and their surface follow');

-- a writable CTE: the Building moved and a new part of the former territory inserted under it
SELECT is(pg_temp.as_role('rt7_m', $$WITH m AS (UPDATE rt7.city_object SET territory_code = '91479' WHERE id = 'K3' RETURNING id)
  INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility) SELECT 'K3R', 'BuildingPart', id, '91326', 'restricted' FROM m RETURNING id$$, true),
  '23514', 'a writable CTE moving K3 and inserting a part of 91326 under it is refused (23514: the new part is not of its parent''s territory)');
SELECT is(pg_temp.objs('K3') || ' ' || pg_temp.surfs('K3'), 'K3:91326,K3P:91326,K3Q:91326 K3Q:91326', 'nothing of K3 moved');

-- the Building and a part moved in one statement: with the part of its part, refused until
-- 2026-12-08 (23514: the parts' check, sr_derived_territory_upd, fired before
-- sr_restrict_derived and found K4Q of 91479 under K4P still of 91326); the check,
-- sr_settled_territory_upd since h4, fires after the cascade and sees K4P moved
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = '91479' WHERE id IN ('K4', 'K4Q'); SELECT 'moved'$$, true),
  'moved', 'the agent of both moves K4 and its part''s part K4Q in one statement, K4P between them follows (until h4: 23514)');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = '91479' WHERE id IN ('K4', 'K4P'); SELECT 'moved'$$, true),
  'moved', 'the agent of both moves K4 and its direct part K4P in one statement');
SELECT is(pg_temp.objs('K4') || ' ' || pg_temp.surfs('K4'), 'K4:91479,K4P:91479,K4Q:91479 K4Q:91479', 'K4Q and its surface follow');
-- the Building moved, its part sent back in the same statement
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = CASE id WHEN 'K5' THEN '91479' ELSE '91326' END WHERE id IN ('K5', 'K5P'); SELECT 'moved'$$, true),
  'moved', 'the agent of both moves K5 to 91479 and in the same statement writes its part K5P as of 91326');
SELECT is(pg_temp.objs('K5') || ' ' || pg_temp.surfs('K5'), 'K5:91479,K5P:91479,K5Q:91479 K5Q:91479',
  'K5P, of the territory K5 left when the statement ends, follows it all the same, and K5Q with its surface');
-- an update through a view of the agent's own
SELECT is(pg_temp.as_role('rt7_m', $$CREATE TEMP VIEW rt7v AS SELECT * FROM rt7.city_object; UPDATE rt7v SET territory_code = '91479' WHERE id = 'K6'; SELECT 'moved'$$, true),
  'moved', 'the agent of both moves K6 through a view of its own');
SELECT is(pg_temp.objs('K6') || ' ' || pg_temp.surfs('K6'), 'K6:91479,K6P:91479,K6Q:91479 K6Q:91479', 'its parts and their surface follow');
SELECT is(pg_temp.sees('rt7_a', 'K') || ' / ' || pg_temp.sees('rt7_b', 'K'), '3 1 / 15 5',
  'in all (18 objects, 6 surfaces): 91326''s agent reads only K3''s chain, which did not move; 91479''s agent the five chains moved, 15 objects and 5 surfaces');
-- the agent of 91479 cannot drag a public chain of 91326 to its territory
SELECT is(pg_temp.as_role('rt7_a', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('L', 'Building', NULL, '91326', 'public'), ('LP', 'BuildingPart', 'L', '91326', 'public'); SELECT 'written'$$, true),
  'written', '91326''s agent writes a public Building L and its part LP');
SELECT is(pg_temp.as_role('rt7_b', $$UPDATE rt7.city_object SET territory_code = '91479' WHERE id = 'L' RETURNING id$$, true) || ' '
          || pg_temp.as_role('rt7_b', $$UPDATE rt7.city_object SET parent_id = 'L' WHERE id = 'LP' RETURNING id$$, true) || ' ' || pg_temp.objs('L'),
  '<null> <null> L:91326,LP:91326', 'the agent of 91479, which reads them, updates neither (no row of its territory): nothing moves');
-- a cycle of restricted parts, moved by the agent of both: both follow, and the walk ends
SELECT is(pg_temp.as_role('rt7_a', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('NX', 'BuildingPart', 'NY', '91326', 'restricted'), ('NY', 'BuildingPart', 'NX', '91326', 'restricted');
  INSERT INTO rt7.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES ('NY', 'WallSurface', ST_GeomFromText('POLYGON Z ((650000 6860000 0, 650010 6860000 0, 650010 6860000 9, 650000 6860000 0))', 2154), '91326', 'restricted');
  SELECT 'written'$$, true), 'written', '91326''s agent writes NX and NY, each the other''s part, a surface on NY');
-- (until 2026-12-08, h4, refused, 23514: the parts' check saw NX moved without its parent NY;
-- it now fires after the cascade, which moved NY with it: the cycle moves as one unit)
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = '91479' WHERE id = 'NX' RETURNING id$$, true) || ' '
          || pg_temp.objs('N') || ' ' || pg_temp.surfs('N') || ' ' || pg_temp.sees('rt7_a', 'N') || ' ' || pg_temp.sees('rt7_b', 'N'),
  'NX NX:91479,NY:91479 NY:91479 0 0 2 1', 'in a cycle every object is a part of the other: moved by the agent of both, NX takes NY and its surface to 91479, which 91326''s agent no longer reads and 91479''s does');

-- 3. Squatting another territory's object, to leave a row behind at its move or to block it:
-- 91479's agent, which reads 91326's public Building L, cannot hang a part or a surface of
-- its own territory under it
SELECT is(pg_temp.as_role('rt7_b', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('LB', 'BuildingPart', 'L', '91479', 'restricted') RETURNING id$$), '23514',
  '91479''s agent cannot write a part of its territory under 91326''s Building L (23514)');
SELECT is(pg_temp.as_role('rt7_b', $$INSERT INTO rt7.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES ('L', 'RoofSurface', ST_GeomFromText('POLYGON Z ((650000 6860000 50, 650010 6860000 50, 650010 6860010 50, 650000 6860000 50))', 2154), '91479', 'restricted') RETURNING object_id$$),
  '23514', 'nor a surface of its territory on it (23514)');
SELECT is(pg_temp.as_role('rt7_b', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('LB', 'BuildingPart', 'L', '91326', 'restricted') RETURNING id$$), '42501',
  'nor a part of 91326 (42501: the write policy)');

-- 4. Pseudonyms: the digits computed once (a scalar subquery) give the documented formula's
-- pseudonym, 'pseudo:' || d || left(hex(HMAC(0x00 || d)), 16) with d = left(hex(HMAC(value)), 48),
-- for the values where a subquery could differ from the expression it replaced
CREATE ROLE rt7_an IN ROLE smartregion_analyst;
CREATE ROLE rt7_p IN ROLE smartregion_platform_admin;
SELECT smartregion.pseudonym('anyone', 'rt7') IS NOT NULL AS key_drawn \gset
CREATE FUNCTION pg_temp.ref(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d, key
            FROM smartregion.pseudonym_key WHERE hub_schema = 'rt7') k
$$;
SELECT is(smartregion.pseudonym('', 'rt7'), pg_temp.ref(''), 'pseudonym of the empty string: the formula''s');
SELECT is(smartregion.pseudonym('Zoë Ødegård 東京', 'rt7'), pg_temp.ref('Zoë Ødegård 東京'), 'pseudonym of a multibyte value: the formula''s');
SELECT is(smartregion.pseudonym('pseudo:', 'rt7'), pg_temp.ref('pseudo:'), 'pseudonym of a value beginning pseudo: (not one that verifies): the formula''s');
SELECT is(smartregion.pseudonym(NULL, 'rt7'), NULL, 'pseudonym of NULL: NULL');
INSERT INTO rt7.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source) VALUES
  ('ind_a', 'commune', '91326', 2026, '', 1, 'test'),
  ('ind_b', 'commune', '91326', 2026, 'Zoë Ødegård 東京', 2, 'test'),
  ('ind_c', 'commune', '91326', 2026, 'self', 3, 'test'),
  ('ind_d', 'commune', '91326', 2026, smartregion.pseudonym('kim', 'rt7'), 4, 'test');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('rt7', 'rt7_pv') \gset
SELECT is(pg_temp.as_role('rt7_an', $$SELECT string_agg(coalesce(respondent, '<null>'), ' | ' ORDER BY indicator) FROM rt7_pv.maturity_answer$$),
  concat_ws(' | ', pg_temp.ref(''), pg_temp.ref('Zoë Ødegård 東京'), 'self', pg_temp.ref('kim')),
  'the analysts'' view: the formula''s pseudonyms of the empty and the multibyte respondents, ''self'' as it is, and a stored pseudonym that verifies as it is (pseudonymised again before 2026-12-08: pseudonym_once.sql)');
-- the analyst's own security_barrier view over it, filtered by a function of its own (which
-- a security_barrier view evaluates after the view's own condition): the same values
CREATE FUNCTION pg_temp.rt7_peek(t text) RETURNS boolean LANGUAGE plpgsql COST 0.0001 AS $$
BEGIN RAISE NOTICE 'peek %', t; RETURN true; END $$;
SELECT is(pg_temp.as_role('rt7_an', $$CREATE TEMP VIEW rt7_sb WITH (security_barrier) AS SELECT indicator, respondent FROM rt7_pv.maturity_answer WHERE indicator <> 'ind_c';
  SELECT string_agg(respondent, ' | ' ORDER BY indicator) FROM rt7_sb WHERE pg_temp.rt7_peek(respondent)$$),
  concat_ws(' | ', pg_temp.ref(''), pg_temp.ref('Zoë Ødegård 東京'), pg_temp.ref('kim')),
  'through the analyst''s security_barrier view and a filter of its own: the same pseudonyms');
-- the erasure's UPDATE (purge_expired: premises past their 3 years), the expression as a
-- SET target with the row's column read inside the subquery
INSERT INTO rt7.premises (id, name, owner, location, territory_code, territory_type) VALUES
  (71, 'Halle', 'Zoë Ødegård 東京', ST_SetSRID(ST_MakePoint(2.36, 48.69), 4326), '91326', 'commune'),
  (72, 'Atelier', '', ST_SetSRID(ST_MakePoint(2.37, 48.69), 4326), '91326', 'commune'),
  (73, 'Forge', 'pseudo:0123', ST_SetSRID(ST_MakePoint(2.38, 48.69), 4326), '91326', 'commune');
UPDATE rt7.premises SET recorded_at = now() - interval '4 years' WHERE id IN (71, 72, 73);
SELECT is(pg_temp.as_role('rt7_p', $$SELECT count(*)::text FROM smartregion.purge_expired('rt7')$$, true) IS NOT NULL, true, 'the platform administrator purges the hub');
SELECT is((SELECT string_agg(owner, ' | ' ORDER BY id) FROM rt7.premises WHERE id IN (71, 72, 73)),
  concat_ws(' | ', pg_temp.ref('Zoë Ødegård 東京'), pg_temp.ref(''), pg_temp.ref('pseudo:0123')),
  'the expired owners hold the formula''s pseudonyms: multibyte, empty, and a stored pseudo: that does not verify');

-- 5. _hub_enter, the seven functions' preamble: the code guard runs for the five that ran it.
-- The platform administrator, granted TRIGGER on the hub's consents (it controls code a
-- superuser's call would run there), and a function public._hub_code_guard that would say
-- yes, first in the caller's search_path
GRANT TRIGGER ON rt7.consents TO rt7_p;
CREATE FUNCTION public._hub_code_guard(hub_schema name, fn text, privileged_only boolean DEFAULT false) RETURNS boolean
  LANGUAGE sql AS 'SELECT true';
SET LOCAL search_path = public, smartregion, pg_catalog;
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion.subject_export('kim', 'rt7')::text$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT smartregion.subject_erase('kim', 'rt7')::text$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.purge_expired('rt7')$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.seal_legacy_pseudonyms('rt7')$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.create_pseudonymised_views('rt7', 'rt7_pv2')$$),
  '42501 42501 42501 42501 42501',
  'a superuser''s subject_export, subject_erase, purge_expired, seal_legacy_pseudonyms and create_pseudonymised_views are refused (42501), a look-alike _hub_code_guard first in search_path notwithstanding');
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion._hub_enter('rt7', NULL)::text$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT smartregion._hub_enter('rt7', 'subject_export')::text$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT smartregion._hub_enter(NULL, 'subject_export')::text$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT smartregion._hub_enter('rt7_pv', 'subject_export')::text$$),
  'true 42501 22004 42P01', '_hub_enter itself: no fn, no guard (grant_roles, configure_audit, as before); with one, the guard; NULL hub 22004; a schema without agents 42P01');
RESET search_path;
REVOKE TRIGGER ON rt7.consents FROM rt7_p;
DROP FUNCTION public._hub_code_guard(name, text, boolean);
-- a hub whose name needs quoting (capitals, a dot, a double quote): found, and guarded
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('Rt7.x"y') \gset
SELECT is(pg_temp.as_role(current_user, $$SELECT (smartregion.subject_export('kim', 'Rt7.x"y') ->> 'hub')$$) || ' '
          || pg_temp.as_role(current_user, $$SELECT smartregion._hub_enter('rt7.x"y', 'subject_export')::text$$),
  'Rt7.x"y 42P01', 'a hub named Rt7.x"y is found (subject_export answers for it), and rt7.x"y, another name, holds no hub (42P01)');

-- 6. A 3D object made restricted and moved in one statement, then made public and moved back:
-- the restriction and the move both reach its part and the part's surface
SELECT is(pg_temp.as_role('rt7_a', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('V', 'Building', NULL, '91326', 'public'), ('VP', 'BuildingPart', 'V', '91326', 'public');
  INSERT INTO rt7.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES ('VP', 'RoofSurface', ST_GeomFromText('POLYGON Z ((650000 6860000 50, 650010 6860000 50, 650010 6860010 50, 650000 6860000 50))', 2154), '91326', 'public');
  SELECT 'written'$$, true), 'written', '91326''s agent writes a public Building V, its part VP and VP''s surface');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = '91479', visibility = 'restricted' WHERE id = 'V' RETURNING id$$, true),
  'V', 'the agent of both makes V restricted and moves it to 91479 in one statement');
CREATE FUNCTION pg_temp.vstate() RETURNS text LANGUAGE sql AS $$
  SELECT (SELECT string_agg(id || ':' || territory_code || ':' || visibility, ',' ORDER BY id) FROM rt7.city_object WHERE id LIKE 'V%') || ' '
      || (SELECT string_agg(object_id || ':' || territory_code || ':' || visibility, ',') FROM rt7.city_surface WHERE object_id LIKE 'V%')
$$;
SELECT is(pg_temp.vstate() || ' ' || pg_temp.sees('rt7_r', 'V') || ' / ' || pg_temp.sees('rt7_a', 'V') || ' / ' || pg_temp.sees('rt7_b', 'V'),
  'V:91479:restricted,VP:91479:restricted VP:91479:restricted 0 0 / 0 0 / 2 1',
  'VP and its surface are restricted and of 91479: a reader and 91326''s agent read none of them, 91479''s agent all');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET territory_code = '91326', visibility = 'public' WHERE id = 'V' RETURNING id$$, true),
  'V', 'the agent of both makes V public and moves it back to 91326 in one statement');
SELECT is(pg_temp.vstate(), 'V:91326:public,VP:91326:public VP:91326:public',
  'VP and its surface, restricted with their parent, are public again and of 91326');

-- 7. The limit (3) of docs/zones.md#zone-identity, closed 2026-12-08 (h8): a zone renumbered
-- with the triggers disabled, its number taken again, then moved to another territory and
-- made restricted, left the contour of its former territory public (the identity was followed
-- within the zone's territory only; docs/security-reviews.md#r-zone-uid-moved); now followed
-- in every territory, zone_uid no longer given by hand
INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (6, 'ZA six', '91326', pg_temp.s(650100, 6860600), '91326', 'public');
UPDATE rt7.zae_zones SET geom = pg_temp.s(650250, 6860600) WHERE zone_id = 6;
ALTER TABLE rt7.zae_zones DISABLE TRIGGER USER;
UPDATE rt7.zae_zones SET zone_id = 60, geom = pg_temp.s(650400, 6860600) WHERE zone_id = 6;
ALTER TABLE rt7.zae_zones ENABLE TRIGGER USER;
INSERT INTO rt7.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (6, 'ZA six bis', '91326', pg_temp.s(650550, 6860600), '91326', 'public');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.zae_zones SET territory_code = '91479', comm_insee = '91479', visibility = 'restricted' WHERE zone_id = 60 RETURNING zone_id::text$$, true),
  '60', 'the agent of both moves zone 60 to 91479 and makes it restricted');
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('rt7') \gset
SELECT is(pg_temp.reads('rt7_r', 650100, 6860600) || pg_temp.reads('rt7_b', 650100, 6860600), '00',
  'its earlier shape under 6, of 91326, is restricted with it: neither a reader nor 91479''s agent reads it (the build before: 11, after create_hub too)');

-- 8. A 3D object renamed (its id changed): its parts name it by parent_id, with no foreign key,
-- so the build before left them naming an id that no longer was, and the move took none: the
-- agent of both renaming 91326's restricted Building W and moving it to 91479 in one statement
-- left its restricted part WP of 91326, read by 91326's agent (the build before: 'W2', then
-- 'W2:91479,WP:91326 1 0 1 0').  Now refused, 23503, as the surfaces' foreign key refuses it
SELECT is(pg_temp.as_role('rt7_a', $$INSERT INTO rt7.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('W', 'Building', NULL, '91326', 'restricted'), ('WP', 'BuildingPart', 'W', '91326', 'restricted'),
           ('U', 'Building', NULL, '91326', 'restricted'); SELECT 'written'$$, true),
  'written', '91326''s agent writes a restricted Building W with a part WP, and a Building U without parts');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET id = 'W2', territory_code = '91479' WHERE id = 'W' RETURNING id$$, true),
  '23503', 'the agent of both cannot rename W and move it in one statement (23503: its part names it; the build before: W2, its part left in 91326)');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET id = 'W2' WHERE id = 'W' RETURNING id$$, true),
  '23503', 'nor rename it alone (23503: a later move would find no part; the build before: W2)');
SELECT is(pg_temp.objs('W') || ' ' || pg_temp.sees('rt7_a', 'W') || ' ' || pg_temp.sees('rt7_b', 'W'), 'W:91326,WP:91326 2 0 0 0',
  'W and WP as they were: 91326''s agent reads both, 91479''s agent none');
SELECT is(pg_temp.as_role('rt7_m', $$UPDATE rt7.city_object SET id = CASE id WHEN 'W' THEN 'W2' ELSE id END,
    parent_id = CASE parent_id WHEN 'W' THEN 'W2' ELSE parent_id END WHERE id IN ('W', 'WP');
  UPDATE rt7.city_object SET territory_code = '91479' WHERE id = 'W2' RETURNING id$$, true),
  'W2', 'renamed with its part''s parent_id in the same statement, W2 is then moved to 91479');
SELECT is(pg_temp.objs('W') || ' ' || pg_temp.sees('rt7_a', 'W') || ' ' || pg_temp.sees('rt7_b', 'W'), 'W2:91479,WP:91479 0 0 2 0',
  'its part follows it: 91326''s agent reads neither, 91479''s agent both');
SELECT is(pg_temp.as_role('rt7_a', $$UPDATE rt7.city_object SET id = 'U2' WHERE id = 'U' RETURNING id$$, true), 'U2',
  'an object without parts is renamed as before');

SELECT * FROM finish();
ROLLBACK;
