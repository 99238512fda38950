-- pgTAP: red team of tenancy and citizens' data (2026-12-07, h2; docs/security.md, "Red team
-- of tenancy"): a territory's agent trying to read another territory's restricted rows or a
-- person's data through the extension's functions rather than plain SELECTs, and what
-- remains of a person after an erasure.
-- Roles: trt_o, agent of the région 84, organiser of a self-diagnosis campaign; trt_b, agent
-- of the commune 69381 (Lyon 1er, in the région), invited; trt_a, agent of the commune 91479,
-- which must not read 69381's respondents; trt_r, a reader; trt_p, the platform
-- administrator (the data protection officer).
-- The route found: the organiser invited 69381's respondent under a role that is the
-- person's e-mail address (campaign_invite's role is free text: 'maire', 'DGS', or a name).
-- A respondent is a restricted row of its territory: trt_a reads none.  But its submission
-- copied the role into maturity_answer.respondent ('campaign 1, respondent 1
-- (jean.dupont@mairie-lyon.fr)'), a public row that every territory's agent reads whole, and
-- the role was in no register: subject_export did not find it and subject_erase answered
-- "no_data", the address kept in both tables.
-- The second route found: a building, a 3D object or a planned building made restricted kept
-- the rows made from it public (roof faces and cells, impact rows, surfaces): readers and
-- other territories' agents read the 3D roofs and walls of a building hidden from them.
BEGIN;
SELECT plan(47);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('trt') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('trt') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE trt_o IN ROLE smartregion_agent;
CREATE ROLE trt_a IN ROLE smartregion_agent;
CREATE ROLE trt_b IN ROLE smartregion_agent;
CREATE ROLE trt_r IN ROLE smartregion_reader;
CREATE ROLE trt_p IN ROLE smartregion_platform_admin;
INSERT INTO trt.agents (role_name, territory_code, territory_type) VALUES
  ('trt_o', '84', 'region'), ('trt_a', '91479', NULL), ('trt_b', '69381', NULL);

SELECT pg_temp.as_role('trt_o', $$INSERT INTO trt.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type)
  VALUES ('default', 2027, 'Autodiagnostic', current_date, current_date + 30, '84', 'region') RETURNING id::text$$, true) AS camp \gset
SELECT pg_temp.as_role('trt_o', format($$SELECT token FROM smartregion.campaign_invite(%s, '69381', 'jean.dupont@mairie-lyon.fr', 'trt')$$, :camp), true) AS token_b \gset
SELECT pg_temp.as_role('trt_o', format($$SELECT respondent_id::text FROM smartregion.campaign_invite(%s, '91479', 'maire', 'trt')$$, :camp), true) AS resp_a \gset
SELECT is(pg_temp.as_role('trt_b', format($$SELECT smartregion.campaign_save(%L, 'open_data_policy', 3, NULL, 'trt');
                                            SELECT smartregion.campaign_submit(%L, 'trt')::text$$, :'token_b', :'token_b'), true),
          '1', '69381''s respondent submits its one answer');
SELECT is(pg_temp.as_role('trt_a', $$SELECT count(*)::text FROM trt.campaign_respondent$$), '1',
          '91479''s agent reads its own respondent only, not 69381''s (restricted rows)');

-- the copy on the published row: the respondent's id, not its role (before: 'campaign 1,
-- respondent 1 (jean.dupont@mairie-lyon.fr)', read by 91479's agent)
SELECT is(pg_temp.as_role('trt_a', $$SELECT string_agg(territory_code || ' ' || answer || ' ' || respondent, ',') FROM trt.maturity_answer$$),
          format('69381 3 campaign %s, respondent %s', :camp, :resp_a::int - 1),
          'another territory''s agent reads the published answer, and no role in its respondent (before: the e-mail address)');
SELECT is(pg_temp.as_role('trt_a', $$SELECT count(*)::text FROM trt.maturity_answer WHERE respondent ~ 'jean\.dupont'$$), '0',
          'no copy of the hidden respondent''s role on a row another territory reads');

-- the role is in the register: the reader does not get the column, the requests find it
SELECT is((SELECT kind || ' ' || erasure || ' ' || retention::text FROM smartregion.personal_data
            WHERE table_name = 'campaign_respondent' AND column_name = 'role'),
          'subject_id pseudonymise 3 years', 'campaign_respondent.role is registered: subject id, pseudonymised, 3 years (as maturity_answer.respondent)');
SELECT is(pg_temp.as_role('trt_r', $$SELECT role FROM trt.campaign_respondent$$), '42501',
          'a reader does not get the column (before: allowed, no row)');
SELECT is(pg_temp.as_role('trt_p', $$SELECT string_agg(r->>'table' || ' ' || (r->>'column') || ' ' || jsonb_array_length(r->'rows'), ',')
                                         FROM jsonb_array_elements(smartregion.subject_export('jean.dupont@mairie-lyon.fr', 'trt')->'records') r$$),
          'trt.campaign_respondent role 1', 'subject_export finds the respondent (before: no record)');

-- the erasure: the role pseudonymised, the respondent and its submitted answer kept
SELECT is(pg_temp.as_role('trt_p', $$SELECT (smartregion.subject_erase('jean.dupont@mairie-lyon.fr', 'trt')->>'status')$$, true),
          'erased', 'subject_erase erases it (before: no_data)');
SELECT is(pg_temp.as_role('trt_p', $$SELECT ((SELECT count(*) FROM trt.campaign_respondent WHERE role ~ 'jean\.dupont')
                                             + (SELECT count(*) FROM trt.maturity_answer WHERE respondent ~ 'jean\.dupont'))::text$$),
          '0', 'after the erasure no row holds the address, for the platform administrator who reads every row (before: 2)');
SELECT is(pg_temp.as_role('trt_p', $$SELECT (r.role = smartregion.pseudonym('jean.dupont@mairie-lyon.fr', 'trt') AND r.submitted_at IS NOT NULL
                                             AND (SELECT count(*) FROM trt.maturity_answer) = 1)::text
                                        FROM trt.campaign_respondent r WHERE r.territory_code = '69381'$$),
          'true', 'the role is its pseudonym, the respondent still submitted, its answer still published');

-- the erasure's way through the respondent's trigger is the erasure's only: the respondent's
-- own agent, setting the setting by hand, changes nothing of a submitted respondent
SELECT is(pg_temp.as_role('trt_b', $$SELECT set_config('smartregion_erasure.column', 'trt.campaign_respondent.role', true);
                                     UPDATE trt.campaign_respondent SET role = 'pseudo:' || repeat('0', 64) RETURNING 'changed'$$),
          '55000', 'an agent cannot pseudonymise a submitted respondent''s role by setting smartregion_erasure.column');
SELECT is(pg_temp.as_role('trt_a', format($$SELECT set_config('smartregion_erasure.column', 'trt.campaign_respondent.role', true);
                                     UPDATE trt.campaign_respondent SET role = 'pseudo:' || repeat('0', 64), territory_code = '69381' WHERE id = %s RETURNING 'moved'$$, :resp_a)),
          '55000', 'nor move it with the role (the erasure changes the role alone)');

-- rows made from a building, a 3D object, a planned building: restricted with it.  69381's
-- public building 900 with one roof face, one cell and one face in the impact of projects;
-- its public object 'trt-1' with one surface and one part 'trt-1-part' (a BuildingPart) with one; its public project with its own roof (is_project)
SELECT is(pg_temp.as_role('trt_b', $$
  INSERT INTO trt.buildings (id, geom, height, territory_code, visibility)
    VALUES (900, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154)), 170), 9, '69381', 'public');
  INSERT INTO trt.solar_roofs (building_id, face, geom, territory_code, visibility)
    VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), '69381', 'public');
  INSERT INTO trt.solar_roof_cells (building_id, face, geom, territory_code, visibility)
    VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842001, 6519001, 2154), 179), '69381', 'public');
  INSERT INTO trt.solar_impact_roofs (building_id, face, is_project, geom, territory_code, visibility)
    VALUES (900, 0, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), '69381', 'public');
  INSERT INTO trt.city_object (id, type, parent_id, territory_code, visibility) VALUES
    ('trt-1', 'Building', NULL, '69381', 'public'), ('trt-1-part', 'BuildingPart', 'trt-1', '69381', 'public');
  INSERT INTO trt.city_surface (object_id, geom, territory_code, visibility)
    VALUES ('trt-1', ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), '69381', 'public'),
           ('trt-1-part', ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842005, 6519005, 2154), 175), '69381', 'public');
  INSERT INTO trt.planned_building (name, geom, height, territory_code, visibility)
    VALUES ('tower', ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), 50, '69381', 'public');
  INSERT INTO trt.solar_impact_roofs (building_id, face, is_project, geom, territory_code, visibility)
    SELECT id, 0, true, ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), '69381', 'public' FROM trt.planned_building;
  SELECT 'written'$$, true), 'written', '69381 writes a public building, object and project with the rows made from them');
-- what a role reads: buildings, faces, cells, impact faces, objects, surfaces, projects, project roofs
CREATE FUNCTION pg_temp.trt_seen() RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' ', (SELECT count(*) FROM trt.buildings), (SELECT count(*) FROM trt.solar_roofs),
                   (SELECT count(*) FROM trt.solar_roof_cells), (SELECT count(*) FROM trt.solar_impact_roofs WHERE NOT is_project),
                   (SELECT count(*) FROM trt.city_object), (SELECT count(*) FROM trt.city_surface),
                   (SELECT count(*) FROM trt.planned_building), (SELECT count(*) FROM trt.solar_impact_roofs WHERE is_project)) $$;
GRANT EXECUTE ON FUNCTION pg_temp.trt_seen() TO PUBLIC;
SELECT is(pg_temp.as_role('trt_a', 'SELECT pg_temp.trt_seen()'), '1 1 1 1 2 2 1 1', '91479''s agent reads them all while they are public');
SELECT is(pg_temp.as_role('trt_b', $$UPDATE trt.buildings SET visibility = 'restricted';
                                     UPDATE trt.city_object SET visibility = 'restricted' WHERE id = 'trt-1';
                                     UPDATE trt.planned_building SET visibility = 'restricted';
                                     SELECT pg_temp.trt_seen()$$, true),
          '1 1 1 1 2 2 1 1', '69381 makes its building, object (not its part) and project restricted, and still reads everything');
SELECT is(pg_temp.as_role('trt_a', 'SELECT pg_temp.trt_seen()'), '0 0 0 0 0 0 0 0',
          '91479''s agent reads none of the rows made from them any more, the part and its surface included (before: 0 1 1 1 1 2 0 1)');
SELECT is(pg_temp.as_role('trt_r', 'SELECT pg_temp.trt_seen()'), '0 0 0 0 0 0 0 0',
          'nor does the reader (before: 0 1 1 1 1 2 0 1)');
-- made public again, they take the rows made from them back (h4, the same day: before, those
-- rows stayed restricted until a refresh or an import; the rule is "as visible as their
-- parent", both ways), the building's face in the impact of projects included since h3
-- (before, it stayed restricted: a writer may keep such a face restricted on a project's
-- account, and nothing told the two apart until the mark; tenancy_derived_back.sql); but
-- rows of another territory under the parent's key stay as that territory wrote them, even
-- when the platform administrator, who writes every row, makes the parent public.  Here the région 84 has a restricted face 1 of building 900 (a
-- key it gave); the platform administrator makes building 900 public again, 69381's agent
-- its object and project.
INSERT INTO trt.solar_roofs (building_id, face, geom, territory_code, territory_type, visibility)
  VALUES (900, 1, ST_Force3D(ST_MakeEnvelope(842000, 6519005, 842010, 6519010, 2154), 179), '84', 'region', 'restricted');
SELECT is(pg_temp.as_role('trt_p', $$UPDATE trt.buildings SET visibility = 'public' WHERE id = 900 RETURNING 'public'$$, true)
          || ' ' || pg_temp.as_role('trt_b', $$UPDATE trt.city_object SET visibility = 'public' WHERE id = 'trt-1';
                                     UPDATE trt.planned_building SET visibility = 'public' RETURNING 'public'$$, true),
          'public public', 'building 900 (by the platform administrator), object trt-1 and the project (by 69381) made public again');
-- a reader and 91479's agent: the building, its face 0 and cell, its impact face (h3), the
-- object, its part and their two surfaces, the project and its roof (1 1 1 1 2 2 1 1)
SELECT is(pg_temp.as_role('trt_r', 'SELECT pg_temp.trt_seen()') || ', ' || pg_temp.as_role('trt_a', 'SELECT pg_temp.trt_seen()'),
          '1 1 1 1 2 2 1 1, 1 1 1 1 2 2 1 1',
          'a reader and another territory''s agent read the rows made from them again, the part, its surface and the impact face included (before h4: 1 0 0 0 1 0 1 0; before h3: 1 1 1 0 2 2 1 1)');
-- as the hub's owner (row-level security does not apply): the région's face 1 stays
-- restricted, the impact face (restricted with the building, not written since) is public
SELECT is((SELECT string_agg(visibility::text, ' ' ORDER BY face) FROM trt.solar_roofs WHERE building_id = 900)
          || ', ' || (SELECT visibility::text FROM trt.solar_impact_roofs WHERE building_id = 900 AND NOT is_project),
          'public restricted, public',
          'another territory''s face under the building''s key stays restricted, the building''s impact face is public again (before h4: restricted restricted, restricted; before h3: public restricted, restricted)');

-- A face, a cell and a surface that their writer restricted by hand stay restricted when their
-- parent is made restricted and then public again (2026-12-07, h7: the way back took every
-- restricted row of the parent's key and territory, and published rows their owner chose to
-- hide).  Now the cascade marks the rows it restricts (restricted_with_parent), takes back
-- those only, and a change of a row's visibility by hand clears the mark.  69381 adds to
-- building 900 faces 2, 3 and 4 and a cell of face 2, to object trt-1 a wall, all public;
-- restricts face 2, the cell and the wall by hand; restricts the building and the object
-- (which take faces 0, 3 and 4, cell 0, surface 0, the part and its surface); while they are
-- restricted, makes face 3 public and restricted again by hand, and "restricts" face 4 by hand
-- (restricted already: its own choice since, both); then makes the building and the object
-- public again.
SELECT is(pg_temp.as_role('trt_b', $$
  INSERT INTO trt.solar_roofs (building_id, face, geom, territory_code, visibility)
    VALUES (900, 2, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842005, 6519005, 2154), 179), '69381', 'public'),
           (900, 3, ST_Force3D(ST_MakeEnvelope(842005, 6519000, 842010, 6519005, 2154), 179), '69381', 'public'),
           (900, 4, ST_Force3D(ST_MakeEnvelope(842005, 6519005, 842010, 6519010, 2154), 179), '69381', 'public');
  INSERT INTO trt.solar_roof_cells (building_id, face, geom, territory_code, visibility)
    VALUES (900, 2, ST_Force3D(ST_MakeEnvelope(842001, 6519001, 842002, 6519002, 2154), 179), '69381', 'public');
  INSERT INTO trt.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES ('trt-1', 'WallSurface', ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 170), '69381', 'public');
  UPDATE trt.solar_roofs SET visibility = 'restricted' WHERE building_id = 900 AND face = 2;
  UPDATE trt.solar_roof_cells SET visibility = 'restricted' WHERE building_id = 900 AND face = 2;
  UPDATE trt.city_surface SET visibility = 'restricted' WHERE semantic_type = 'WallSurface';
  UPDATE trt.buildings SET visibility = 'restricted' WHERE id = 900;
  UPDATE trt.city_object SET visibility = 'restricted' WHERE id = 'trt-1';
  UPDATE trt.solar_roofs SET visibility = 'public' WHERE building_id = 900 AND face = 3;
  UPDATE trt.solar_roofs SET visibility = 'restricted' WHERE building_id = 900 AND face = 3;
  UPDATE trt.solar_roofs SET visibility = 'restricted' WHERE building_id = 900 AND face = 4;
  UPDATE trt.buildings SET visibility = 'public' WHERE id = 900;
  UPDATE trt.city_object SET visibility = 'public' WHERE id = 'trt-1';
  SELECT 'public again'$$, true), 'public again',
          '69381 restricts a face, a cell and a wall by hand, then the building and the object, then makes them public again');
-- what a reader and 91479's agent read: building 900's faces and cells (by face), the objects
-- and surfaces (by semantic type, '-' for none).  By hand: the faces 0 and 3 and the cell of
-- face 0 were public, the wall restricted; the cascade took back face 0, the cell of face 0,
-- trt-1's first surface, the part and its surface, and nothing that 69381 restricted by hand
-- (faces 2, 3 and 4, the cell of face 2, the wall) nor the région's face 1
CREATE FUNCTION pg_temp.trt_hand() RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('; ', 'faces ' || coalesce((SELECT string_agg(face::text, ' ' ORDER BY face) FROM trt.solar_roofs WHERE building_id = 900), '-'),
                   'cells ' || coalesce((SELECT string_agg(face::text, ' ' ORDER BY face) FROM trt.solar_roof_cells WHERE building_id = 900), '-'),
                   'objects ' || (SELECT count(*) FROM trt.city_object),
                   'surfaces ' || coalesce((SELECT string_agg(coalesce(semantic_type, '-'), ' ' ORDER BY coalesce(semantic_type, '-')) FROM trt.city_surface), '-')) $$;
GRANT EXECUTE ON FUNCTION pg_temp.trt_hand() TO PUBLIC;
SELECT is(pg_temp.as_role('trt_r', 'SELECT pg_temp.trt_hand()') || ' | ' || pg_temp.as_role('trt_a', 'SELECT pg_temp.trt_hand()'),
          'faces 0; cells 0; objects 2; surfaces - - | faces 0; cells 0; objects 2; surfaces - -',
          'a reader and another territory''s agent read the rows the cascade restricted, not those restricted by hand (before: faces 0 2 3 4; cells 0 2; objects 2; surfaces - - WallSurface)');
-- as the hub's owner: the visibility and mark of each face of building 900 (0 public; 1 the
-- région's, 2 to 4 69381's by hand: restricted, unmarked)
SELECT is((SELECT string_agg(face || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY face) FROM trt.solar_roofs WHERE building_id = 900),
          '0 public false, 1 restricted false, 2 restricted false, 3 restricted false, 4 restricted false',
          'the faces restricted by hand stay restricted, unmarked');
-- a hub made by an older build has no mark: its parent made public again takes nothing back
-- (fail closed), until create_hub brings it up to date.  Here solar_roof_cells loses its
-- column (and with it its trigger); building 900 is restricted and public again: face 0 is
-- back, the cell of face 0 stays restricted
ALTER TABLE trt.solar_roof_cells DROP COLUMN restricted_with_parent CASCADE;
SELECT is(pg_temp.as_role('trt_b', $$UPDATE trt.buildings SET visibility = 'restricted' WHERE id = 900;
                                     UPDATE trt.buildings SET visibility = 'public' WHERE id = 900;
                                     SELECT (SELECT visibility::text FROM trt.solar_roofs WHERE building_id = 900 AND face = 0)
                                            || ' ' || (SELECT visibility::text FROM trt.solar_roof_cells WHERE building_id = 900 AND face = 0)$$, true),
          'public restricted', 'a table without the mark (a hub made by an older build) takes nothing back');
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('trt') \gset
SELECT is(smartregion._hub_derived_marked('trt.solar_roof_cells')
          AND (SELECT bool_and(NOT restricted_with_parent) FROM trt.solar_roof_cells), true,
          'create_hub gives it the column (unmarked: its restricted rows stay so) and the trigger again');
-- the refreshes write a face or a cell with its building's visibility: restricted with its
-- building, it is marked so, and public again with it.  69381's building 950, restricted,
-- refreshed (the query gives its visibility), then made public: its faces and cells are
-- public again (without the mark they would stay restricted until the next refresh)
CREATE TEMP TABLE trt_sky AS SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.85 45.76 200)', 3.0, 2019) AS s;
GRANT SELECT ON trt_sky TO PUBLIC;
SELECT is(pg_temp.as_role('trt_b', $$
  INSERT INTO trt.buildings (id, geom, height, territory_code, visibility)
    VALUES (950, ST_Force3D(ST_Multi(ST_MakeEnvelope(842300, 6519300, 842310, 6519310, 2154)), 179), 9, '69381', 'restricted');
  SELECT count(*) FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.trt_sky),
    'SELECT id, geom, height, territory_code, territory_type, visibility FROM trt.buildings WHERE id = 950', '{}', 'trt');
  SELECT count(*) FROM smartregion.refresh_solar_roof_cells((SELECT s FROM pg_temp.trt_sky),
    'SELECT id, geom, height, territory_code, territory_type, visibility FROM trt.buildings WHERE id = 950', '{}', 'trt');
  SELECT (SELECT string_agg(DISTINCT visibility || ' ' || restricted_with_parent, ',') FROM trt.solar_roofs WHERE building_id = 950)
         || ', ' || (SELECT string_agg(DISTINCT visibility || ' ' || restricted_with_parent, ',') FROM trt.solar_roof_cells WHERE building_id = 950)$$, true),
          'restricted true, restricted true', 'the refreshes write the faces and cells of a restricted building restricted, marked');
SELECT is(pg_temp.as_role('trt_b', $$UPDATE trt.buildings SET visibility = 'public' WHERE id = 950;
  SELECT (SELECT string_agg(DISTINCT visibility::text, ',') FROM trt.solar_roofs WHERE building_id = 950)
         || ', ' || (SELECT string_agg(DISTINCT visibility::text, ',') FROM trt.solar_roof_cells WHERE building_id = 950)$$, true),
          'public, public', 'the building made public takes them back');
-- many buildings made restricted in one UPDATE: one UPDATE of each derived table, not one a
-- building (the row trigger before ran three a building, each recorded in the provenance:
-- 14 s for 10,000 buildings, docs/performance-city-model.md).  69381's public buildings
-- 901-903 with two faces each, made restricted in one statement: their 6 faces restricted,
-- and solar_roofs' provenance has one UPDATE of it (3 on the build of the row trigger)
SELECT count(*) AS trt_prov0 FROM smartregion.provenance WHERE hub_schema = 'trt' AND table_name = 'solar_roofs' AND operation = 'UPDATE' \gset
SELECT is(pg_temp.as_role('trt_b', $$
  INSERT INTO trt.buildings (id, geom, height, territory_code, visibility)
    SELECT i, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000 + 20 * (i - 900), 6519100, 842010 + 20 * (i - 900), 6519110, 2154)), 170), 9, '69381', 'public'
      FROM generate_series(901, 903) i;
  INSERT INTO trt.solar_roofs (building_id, face, geom, territory_code, visibility)
    SELECT i, f, ST_Force3D(ST_MakeEnvelope(842000 + 20 * (i - 900), 6519100, 842010 + 20 * (i - 900), 6519110, 2154), 179), '69381', 'public'
      FROM generate_series(901, 903) i, generate_series(0, 1) f;
  UPDATE trt.buildings SET visibility = 'restricted' WHERE id BETWEEN 901 AND 903;
  SELECT count(*) FILTER (WHERE visibility = 'restricted') || ' of ' || count(*) FROM trt.solar_roofs WHERE building_id BETWEEN 901 AND 903$$, true),
          '6 of 6', 'three buildings made restricted in one UPDATE take their six faces with them');
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE hub_schema = 'trt' AND table_name = 'solar_roofs' AND operation = 'UPDATE') - :trt_prov0,
          1::bigint, 'in one UPDATE of solar_roofs (before: 3, one a building)');

-- the retention pseudonymises a role too, in a closed campaign (the trigger's way through is
-- the erasure's, purge_expired's included): 91479's respondent recorded 4 years ago (3 years
-- registered), the campaign closed by its organiser
UPDATE trt.campaign_respondent SET recorded_at = now() - interval '4 years' WHERE id = :resp_a;
SELECT is(pg_temp.as_role('trt_p', format($$SELECT smartregion.campaign_close(%s, 'trt');
                                             CREATE TEMP TABLE trt_purged AS SELECT * FROM smartregion.purge_expired('trt');
                                             SELECT ((SELECT rows FROM trt_purged WHERE table_name = 'campaign_respondent') = 1
                                               AND (SELECT role FROM trt.campaign_respondent WHERE id = %s) = smartregion.pseudonym('maire', 'trt'))::text$$, :camp, :resp_a)),
          'true', 'purge_expired pseudonymises the role of a respondent past its retention, campaign closed');

-- A zone made restricted takes its earlier contours with it (the finding "a zone made
-- restricted leaves its earlier contours public", fixed).  zae_zone_history keeps each
-- contour a zone had with the zone's visibility when it was replaced: a public zone
-- redrawn, then made restricted, left its first contour public, and a reader or 91479's
-- agent read where 69381's hidden zone lay.  Now the zone's history rows are made
-- restricted with it, in the same statement, as the writer (_zae_zone_history_restrict).
-- As the agent of 69381: zone 77, public, redrawn 10 m wider, then made restricted (the
-- reproduction of docs/security-reviews.md)
SELECT pg_temp.as_role('trt_b', $$INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  VALUES (77, 'zone b', ST_Multi(ST_MakeEnvelope(842000, 6519000, 842500, 6519500, 2154)), '69381', 'public');
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(842000, 6519000, 842510, 6519500, 2154)) WHERE zone_id = 77;
UPDATE trt.zae_zones SET visibility = 'restricted' WHERE zone_id = 77 RETURNING 'restricted'$$, true) AS z77 \gset
-- zone 78: public, deleted (its contour kept, public), then drawn again restricted under
-- its number; zone 79: public, redrawn and made restricted in one statement; zone 80:
-- public, redrawn, then renumbered 81 and made restricted in one statement (its contours
-- under 80: the first one, and the one the renumbering records)
SELECT pg_temp.as_role('trt_b', $$INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES
  (78, 'zone c', ST_Multi(ST_MakeEnvelope(843000, 6519000, 843500, 6519500, 2154)), '69381', 'public'),
  (79, 'zone d', ST_Multi(ST_MakeEnvelope(844000, 6519000, 844500, 6519500, 2154)), '69381', 'public'),
  (80, 'zone e', ST_Multi(ST_MakeEnvelope(845000, 6519000, 845500, 6519500, 2154)), '69381', 'public');
DELETE FROM trt.zae_zones WHERE zone_id = 78;
INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  VALUES (78, 'zone c', ST_Multi(ST_MakeEnvelope(843000, 6519000, 843400, 6519500, 2154)), '69381', 'restricted');
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(844000, 6519000, 844400, 6519500, 2154)), visibility = 'restricted' WHERE zone_id = 79;
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(845000, 6519000, 845400, 6519500, 2154)) WHERE zone_id = 80;
UPDATE trt.zae_zones SET zone_id = 81, visibility = 'restricted' WHERE zone_id = 80 RETURNING 'written'$$, true) AS z78 \gset
-- zone 77 as a reader and as 91479's agent: no zone (restricted), and no contour (on the
-- build before: 1 contour, x 842000-842500, public as the zone was when it was redrawn)
SELECT is(pg_temp.as_role('trt_r', $$SELECT (SELECT count(*) FROM trt.zae_zones WHERE zone_id = 77) || ' ' || (SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 77)$$),
          '0 0', 'a reader reads neither zone 77, made restricted, nor its earlier contour (before: 0 1)');
SELECT is(pg_temp.as_role('trt_a', $$SELECT (SELECT count(*) FROM trt.zae_zones WHERE zone_id = 77) || ' ' || (SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 77)$$),
          '0 0', 'the agent of 91479 reads neither zone 77 nor its earlier contour (before: 0 1)');
-- the other ways a zone becomes restricted: zone 78's deleted contour (1), zone 79's
-- redrawn in the statement that restricts it (1), zone 80's two contours (before: 1 1 2)
SELECT is(pg_temp.as_role('trt_r', $$SELECT (SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 78) || ' ' || (SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 79)
                                          || ' ' || (SELECT count(*) FROM trt.zae_zone_history WHERE zone_id IN (80, 81))$$),
          '0 0 0', 'nor the contours of a zone drawn restricted under a deleted public zone''s number, redrawn and restricted at once, renumbered and restricted (before: 1 1 2)');
SELECT is(pg_temp.as_role('trt_a', $$SELECT count(*)::text FROM trt.zae_zone_history WHERE zone_id BETWEEN 77 AND 81$$),
          '0', 'the agent of 91479 reads none of those contours (before: 5)');
-- 69381's agent keeps its contours, restricted: 1 + 1 + 1 + 2
SELECT is(pg_temp.as_role('trt_b', $$SELECT count(*) FILTER (WHERE visibility = 'restricted') || ' of ' || count(*) FROM trt.zae_zone_history WHERE zone_id BETWEEN 77 AND 81$$),
          '5 of 5', 'the agent of 69381 still reads its five contours, restricted');
-- the history stays append-only: the one change is public to restricted under a zone that
-- is not public; a restricted contour made public again, a contour moved, and a public
-- zone's contour restricted by hand are refused (zone 82: public, redrawn)
SELECT is(pg_temp.as_role('trt_b', $$UPDATE trt.zae_zone_history SET visibility = 'public' WHERE zone_id = 77 RETURNING 'public'$$),
          '42501', 'a restricted contour cannot be made public again');
SELECT is(pg_temp.as_role('trt_b', $$UPDATE trt.zae_zone_history SET geom = ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 2154)) WHERE zone_id = 77 RETURNING 'moved'$$),
          '42501', 'nor moved');
SELECT is(pg_temp.as_role('trt_b', $$INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  VALUES (82, 'zone f', ST_Multi(ST_MakeEnvelope(846000, 6519000, 846500, 6519500, 2154)), '69381', 'public');
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(846000, 6519000, 846400, 6519500, 2154)) WHERE zone_id = 82;
UPDATE trt.zae_zone_history SET visibility = 'restricted' WHERE zone_id = 82 RETURNING 'hidden'$$),
          '42501', 'nor is the contour of a zone that stands public made restricted by hand');
-- a hub made before: zone 83 made restricted without its trigger (as in a hub made before
-- it) leaves its contour public; create_hub run again makes it restricted, as it would
-- have been (_zae_zone_history_restrict_hidden)
ALTER TABLE trt.zae_zones DISABLE TRIGGER sr_zae_zone_history_restrict_upd;
INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  VALUES (83, 'zone g', ST_Multi(ST_MakeEnvelope(847000, 6519000, 847500, 6519500, 2154)), '69381', 'public');
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(847000, 6519000, 847400, 6519500, 2154)) WHERE zone_id = 83;
UPDATE trt.zae_zones SET visibility = 'restricted' WHERE zone_id = 83;
ALTER TABLE trt.zae_zones ENABLE TRIGGER sr_zae_zone_history_restrict_upd;
SELECT pg_temp.as_role('trt_r', 'SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 83') AS before83 \gset
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('trt') \gset
SELECT is(:'before83' || ' ' || pg_temp.as_role('trt_r', 'SELECT count(*) FROM trt.zae_zone_history WHERE zone_id = 83'),
          '1 0', 'a hub made before: create_hub makes restricted the public contour of a zone that stands restricted (the reader reads 1, then 0)');
-- the triggers are statement triggers (docs/performance-zones.md: the row trigger ran two
-- statements a zone): zones 84-86, public, redrawn, made restricted in one UPDATE, take
-- their three contours in one UPDATE of the history in the provenance; zones 87-89, public,
-- deleted, drawn again restricted under their numbers in one INSERT, the same (the
-- build of the row trigger: 3 and 3)
SELECT pg_temp.as_role('trt_b', $$INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  SELECT i, 'zone ' || i, ST_Multi(ST_MakeEnvelope(840000 + 600 * (i - 84), 6518000, 840500 + 600 * (i - 84), 6518500, 2154)), '69381', 'public'
    FROM generate_series(84, 89) i;
UPDATE trt.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(ST_XMin(geom), 6518000, ST_XMax(geom) - 100, 6518500, 2154)) WHERE zone_id BETWEEN 84 AND 86;
DELETE FROM trt.zae_zones WHERE zone_id BETWEEN 87 AND 89 RETURNING 'drawn'$$, true) AS z84 \gset
SELECT count(*) AS trt_hprov0 FROM smartregion.provenance WHERE hub_schema = 'trt' AND table_name = 'zae_zone_history' AND operation = 'UPDATE' \gset
SELECT pg_temp.as_role('trt_b', $$UPDATE trt.zae_zones SET visibility = 'restricted' WHERE zone_id BETWEEN 84 AND 86 RETURNING 'restricted'$$, true) AS r84 \gset
SELECT count(*) AS trt_hprov1 FROM smartregion.provenance WHERE hub_schema = 'trt' AND table_name = 'zae_zone_history' AND operation = 'UPDATE' \gset
SELECT pg_temp.as_role('trt_b', $$INSERT INTO trt.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
  SELECT i, 'zone ' || i, ST_Multi(ST_MakeEnvelope(840000 + 600 * (i - 84), 6518000, 840400 + 600 * (i - 84), 6518500, 2154)), '69381', 'restricted'
    FROM generate_series(87, 89) i RETURNING 'restricted'$$, true) AS r87 \gset
SELECT is(pg_temp.as_role('trt_r', $$SELECT count(*)::text FROM trt.zae_zone_history WHERE zone_id BETWEEN 84 AND 89$$) || ' ' ||
          pg_temp.as_role('trt_b', $$SELECT count(*) FILTER (WHERE visibility = 'restricted') || ' of ' || count(*) FROM trt.zae_zone_history WHERE zone_id BETWEEN 84 AND 89$$),
          '0 6 of 6', 'six zones made restricted, three in one UPDATE, three in one INSERT: a reader reads none of their six contours, 69381''s agent reads them restricted');
SELECT is(array[:trt_hprov1 - :trt_hprov0, (SELECT count(*) FROM smartregion.provenance WHERE hub_schema = 'trt' AND table_name = 'zae_zone_history' AND operation = 'UPDATE') - :trt_hprov1],
          array[1, 1]::bigint[], 'each in one UPDATE of zae_zone_history (the row trigger: one a zone, 3 and 3)');
-- a hub made with the row trigger: create_hub replaces it with the two statement triggers
CREATE TRIGGER sr_zae_zone_history_restrict AFTER INSERT OR UPDATE ON trt.zae_zones
  FOR EACH ROW EXECUTE FUNCTION smartregion._zae_zone_history_restrict();
SELECT count(*) > 0 AS hub_again2 FROM smartregion.create_hub('trt') \gset
SELECT is(ARRAY(SELECT t.tgname::text FROM pg_trigger t WHERE t.tgrelid = 'trt.zae_zones'::regclass AND t.tgname LIKE 'sr\_zae\_zone\_history\_restrict%' ORDER BY 1),
          '{sr_zae_zone_history_restrict_ins,sr_zae_zone_history_restrict_upd}', 'create_hub on a hub made before: the row trigger gives way to the two statement triggers');

-- a respondent invited as a function (h4, the finding's "Left"): 'maire' names the mayor of
-- one commune, an identifiable person, but the function alone names every commune's mayor, and
-- a request by e-mail does not find it.  A request by territory finds that commune's rows only
-- (subject_export's and subject_erase's territory_code, territory_type).  A second campaign,
-- 'maire' invited in 91479 and in 69381
SELECT pg_temp.as_role('trt_o', $$INSERT INTO trt.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type)
  VALUES ('default', 2028, 'Autodiagnostic 2028', current_date, current_date + 30, '84', 'region') RETURNING id::text$$, true) AS camp2 \gset
SELECT pg_temp.as_role('trt_o', format($$SELECT respondent_id::text FROM smartregion.campaign_invite(%s, '91479', 'maire', 'trt')$$, :camp2), true) AS resp_a2 \gset
SELECT pg_temp.as_role('trt_o', format($$SELECT respondent_id::text FROM smartregion.campaign_invite(%s, '69381', 'maire', 'trt')$$, :camp2), true) AS resp_b2 \gset
-- by the function alone: every mayor, 91479's of both campaigns (the purge above was rolled
-- back) and 69381's: 3 rows
SELECT is(pg_temp.as_role('trt_p', $$SELECT string_agg(jsonb_array_length(r -> 'rows')::text, ',')
                                         FROM jsonb_array_elements(smartregion.subject_export('maire', 'trt') -> 'records') r$$),
          '3', 'subject_export by the function alone finds every commune''s mayor (3 respondents)');
-- by territory and function: 91479's mayor alone, in both campaigns (before: 42883, no such function)
SELECT is(pg_temp.as_role('trt_p', $$SELECT string_agg(DISTINCT r ->> 'table' || ' ' || (r ->> 'column') || ' ' || jsonb_array_length(r -> 'rows') || ' ' || (x ->> 'territory_code'), ',')
                                         FROM jsonb_array_elements(smartregion.subject_export('maire', 'trt', '91479') -> 'records') r,
                                              jsonb_array_elements(r -> 'rows') x$$),
          'trt.campaign_respondent role 2 91479', 'subject_export by territory and function finds that commune''s respondents only (2, both of 91479)');
SELECT is(pg_temp.as_role('trt_p', $$SELECT jsonb_array_length(smartregion.subject_export('maire', 'trt', '91479', 'commune') -> 'records' -> 0 -> 'rows')
                                     || ' ' || jsonb_array_length(smartregion.subject_export('maire', 'trt', '84', 'region') -> 'records')$$),
          '2 0', 'with its type too; the région 84 invited no mayor');
-- the erasure by territory and function: 91479's two roles pseudonymised, 69381's kept
-- (the check in a statement of its own: a statement's subqueries read the rows as they were
-- before the erasure it calls)
SELECT is(pg_temp.as_role('trt_p', $$SELECT smartregion.subject_erase('maire', 'trt', '91479') ->> 'status'$$, true)
          || ' ' || pg_temp.as_role('trt_p', format($$SELECT (SELECT string_agg((role = smartregion.pseudonym('maire', 'trt'))::text, ' ' ORDER BY id) FROM trt.campaign_respondent WHERE id IN (%s, %s))
                                               || ' ' || (SELECT role FROM trt.campaign_respondent WHERE id = %s)$$, :resp_a, :resp_a2, :resp_b2)),
          'erased true true maire', 'subject_erase by territory and function pseudonymises that commune''s respondents only (before: 42883)');
-- a type without a code, a type that is none: 22023
SELECT is(pg_temp.as_role('trt_p', $$SELECT smartregion.subject_export('maire', 'trt', NULL, 'commune')::text$$)
          || ' ' || pg_temp.as_role('trt_p', $$SELECT smartregion.subject_erase('maire', 'trt', '91479', 'city')::text$$),
          '22023 22023', 'a territory type without a code, or not a type: 22023, nothing erased');

SELECT * FROM finish();
ROLLBACK;
