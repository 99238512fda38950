-- pgTAP: a 3D city object moved to another territory takes its parts (down the chain: parts
-- of parts) and their surfaces with it (2026-12-07, h5; docs/security-reviews.md#r-derived-city-move).
-- _hub_restrict_derived, after an update of a hub's city_object, moves the parts
-- (city_object.parent_id) and the surfaces (city_surface.object_id) of the territory the object
-- left to its new territory, as the caller; the parts' update runs the same trigger again for
-- their own parts and surfaces; a row it reads but cannot move fails the move (42501).  Before,
-- an object with surfaces could not be moved at all (23514: delete its surfaces first), and its
-- parts kept the former territory: that territory's agents kept reading the moved Building's
-- restricted parts, the new territory's read none of them.
-- An import replacing an object with another territory moves it the same way.
-- Roles: tcm_m an agent of 91479 and 69381, tcm_a of 91479, tcm_b of 69381, tcm_r a reader.
BEGIN;
SELECT plan(22);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tcm') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tcm') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE tcm_m IN ROLE smartregion_agent;
CREATE ROLE tcm_a IN ROLE smartregion_agent;
CREATE ROLE tcm_b IN ROLE smartregion_agent;
CREATE ROLE tcm_r IN ROLE smartregion_reader;
INSERT INTO tcm.agents (role_name, territory_code, territory_type)
  VALUES ('tcm_m', '91479', NULL), ('tcm_m', '69381', NULL), ('tcm_a', '91479', NULL), ('tcm_b', '69381', NULL);

-- the objects and surfaces of the chain B -> P1 -> P2 and of another Building C, as "id:territory"
CREATE FUNCTION pg_temp.tcm_objects() RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(id || ':' || territory_code, ',' ORDER BY id) FROM tcm.city_object$$;
CREATE FUNCTION pg_temp.tcm_surfaces() RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(object_id || ':' || territory_code, ',' ORDER BY object_id, id) FROM tcm.city_surface$$;

-- 91479's restricted Building B, its part P1 (no surface), P1's part P2; B and P2 have a
-- surface each; and its public Building C with a part C1, which the move must not touch
SELECT is(pg_temp.as_role('tcm_a', $$
  INSERT INTO tcm.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('B', 'Building', NULL, '91479', 'restricted'), ('P1', 'BuildingPart', 'B', '91479', 'restricted'),
           ('P2', 'BuildingPart', 'P1', '91479', 'restricted'),
           ('C', 'Building', NULL, '91479', 'public'), ('C1', 'BuildingPart', 'C', '91479', 'public');
  INSERT INTO tcm.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    VALUES ('B', 'RoofSurface', ST_GeomFromText('POLYGON Z ((843000 6519000 179, 843010 6519000 179, 843010 6519010 179, 843000 6519000 179))', 2154), '91479', 'restricted'),
           ('P2', 'RoofSurface', ST_GeomFromText('POLYGON Z ((843000 6519000 176, 843010 6519000 176, 843010 6519010 176, 843000 6519000 176))', 2154), '91479', 'restricted'),
           ('C1', 'RoofSurface', ST_GeomFromText('POLYGON Z ((844000 6519000 176, 844010 6519000 176, 844010 6519010 176, 844000 6519000 176))', 2154), '91479', 'public');
  SELECT 'written'$$, true), 'written', '91479 writes the chain B -> P1 -> P2 with two surfaces, and C -> C1');
SELECT is(pg_temp.as_role('tcm_b', 'SELECT count(*)::text FROM tcm.city_object WHERE id IN (''B'', ''P1'', ''P2'')'), '0',
  'before the move, the agent of 69381 reads none of the restricted chain');

-- the agent of one territory cannot move the Building to the other (the write policy)
SELECT is(pg_temp.as_role('tcm_a', $$UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'B' RETURNING 'moved'$$),
  '42501', 'the agent of 91479 alone cannot move its Building to 69381');
-- a part does not leave its parent: moved alone, refused as before (sr_derived_territory_upd)
SELECT is(pg_temp.as_role('tcm_m', $$UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'P1' RETURNING 'moved'$$),
  '23514', 'a part moved alone is refused (23514): it is of its parent''s territory');

-- the agent of both territories moves B: its parts, their parts and the surfaces follow
SELECT is(pg_temp.as_role('tcm_m', $$UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'B' RETURNING 'moved'$$, true),
  'moved', 'the agent of both territories moves Building B from 91479 to 69381 (before: 23514, its surface)');
SELECT is(pg_temp.tcm_objects(), 'B:69381,C:91479,C1:91479,P1:69381,P2:69381',
  'B, its part P1 (no surface) and P1''s part P2 are of 69381; C and C1 stay of 91479');
SELECT is(pg_temp.tcm_surfaces(), 'B:69381,C1:91479,P2:69381',
  'the surfaces of B and of the part of its part are of 69381; C1''s stays of 91479');
SELECT is((SELECT string_agg(id || ':' || visibility, ',' ORDER BY id) FROM tcm.city_object WHERE id IN ('B', 'P1', 'P2')),
  'B:restricted,P1:restricted,P2:restricted', 'their visibility is kept');
-- two roles that must not see them: the former territory's agent, and a reader
SELECT is(pg_temp.as_role('tcm_a', 'SELECT count(*)::text FROM tcm.city_object WHERE id IN (''B'', ''P1'', ''P2'')') || ' ' ||
          pg_temp.as_role('tcm_a', 'SELECT count(*)::text FROM tcm.city_surface WHERE object_id IN (''B'', ''P2'')'),
  '0 0', 'the agent of 91479 no longer reads the restricted parts and surfaces (before: the parts)');
SELECT is(pg_temp.as_role('tcm_r', 'SELECT count(*)::text FROM tcm.city_object WHERE id IN (''B'', ''P1'', ''P2'')') || ' ' ||
          pg_temp.as_role('tcm_r', 'SELECT count(*)::text FROM tcm.city_surface WHERE object_id IN (''B'', ''P2'')'),
  '0 0', 'a reader reads none of them, as before');
SELECT is(pg_temp.as_role('tcm_b', 'SELECT count(*)::text FROM tcm.city_object WHERE id IN (''B'', ''P1'', ''P2'')') || ' ' ||
          pg_temp.as_role('tcm_b', 'SELECT count(*)::text FROM tcm.city_surface WHERE object_id IN (''B'', ''P2'')'),
  '3 2', 'the agent of 69381 reads the Building, its two parts and the two surfaces');
SELECT is(pg_temp.as_role('tcm_b', $$UPDATE tcm.city_object SET lod = '2.2' WHERE id = 'P2' RETURNING lod$$),
  '2.2', '... and writes the part of the part');
SELECT is(pg_temp.as_role('tcm_b', $$UPDATE tcm.city_surface SET lod = '2.2' WHERE object_id = 'P2' RETURNING lod$$),
  '2.2', '... and its surface');

-- fail closed: a part of the former territory the mover reads but may not update (here a
-- restrictive policy the test adds, standing for any refusal) fails the whole move
CREATE POLICY tcm_no_part_update ON tcm.city_object AS RESTRICTIVE FOR UPDATE
  USING (current_user <> 'tcm_m' OR parent_id IS NULL);
SELECT is(pg_temp.as_role('tcm_m', $$UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'C'; SELECT 'moved'$$),
  '42501', 'a part the mover cannot update fails the move (42501)');
DROP POLICY tcm_no_part_update ON tcm.city_object;
CREATE POLICY tcm_no_surface_update ON tcm.city_surface AS RESTRICTIVE FOR UPDATE USING (current_user <> 'tcm_m');
SELECT is(pg_temp.as_role('tcm_m', $$UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'C'; SELECT 'moved'$$),
  '42501', '... and so does a surface of a part');
SELECT is(pg_temp.tcm_objects() || ' ' || pg_temp.tcm_surfaces(),
  'B:69381,C:91479,C1:91479,P1:69381,P2:69381 B:69381,C1:91479,P2:69381', 'nothing was moved');
DROP POLICY tcm_no_surface_update ON tcm.city_surface;

-- an import replacing B with another territory moves it back, and the parts the document
-- does not hold follow it (the import's update of B is a move like any other)
SELECT is(pg_temp.as_role('tcm_m', $$SELECT (smartregion.import_cityjson('{"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"}, "CityObjects": {"B": {"type": "Building"}},
  "vertices": []}', 'tcm', '{"territory_code": "91479", "replace": true}') ->> 'objects')$$, true),
  '1', 'the agent of both territories imports B again as 91479''s, with replace');
SELECT is(pg_temp.tcm_objects() || ' ' || pg_temp.tcm_surfaces(),
  'B:91479,C:91479,C1:91479,P1:91479,P2:91479 C1:91479,P2:91479',
  'P1 and P2 follow B back to 91479, P2''s surface too (B''s own replaced by the document''s none)');

-- a cycle of parents ends: X and Y each the other's part, moved by the hub's owner
INSERT INTO tcm.city_object (id, type, parent_id, territory_code, visibility)
  VALUES ('X', 'BuildingPart', 'Y', '91479', 'public'), ('Y', 'BuildingPart', 'X', '91479', 'public');
UPDATE tcm.city_object SET territory_code = '69381' WHERE id = 'X';
SELECT is((SELECT string_agg(id || ':' || territory_code, ',' ORDER BY id) FROM tcm.city_object WHERE id IN ('X', 'Y')),
  'X:69381,Y:69381', 'a cycle of parents moved by the owner: the other part follows, and the walk ends');

-- a bulk update moving nothing does not pair every old row with every new one (2026-12-07,
-- h10: whether a row moved was asked as EXISTS of the pairing, planned as a nested loop of
-- the transition tables: 30,000 x 30,000 comparisons, over a minute; now one scan of each,
-- docs/performance-city-model.md#the-cascades-on-bulk-updates-2026-12-07); and a move among
-- them is still one: the part of the one object moved follows it
INSERT INTO tcm.city_object (id, type, parent_id, territory_code, visibility)
SELECT 'bulk' || i, CASE WHEN i = 30000 THEN 'BuildingPart' ELSE 'Building' END,
       CASE WHEN i = 30000 THEN 'bulk7' END, '69381', 'public'
  FROM generate_series(1, 30000) i;
-- (within 20 s of CPU time, which a loaded machine does not stretch, rather than of the wall
-- clock, which it does; a 60 s timeout as a net: the CPU time of this backend in ms, utime +
-- stime of Linux's /proc/self/stat, in clock ticks of 10 ms)
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS $$
  SELECT 10 * (f[12]::float8 + f[13]::float8)
    FROM (SELECT string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\) (.*)$'))[1], ' ') AS f) s
$$;
SELECT pg_temp.cpu_ms() AS c0 \gset
SET LOCAL statement_timeout = '60s';
SELECT lives_ok($$UPDATE tcm.city_object SET lod = '2' WHERE id LIKE 'bulk%'$$,
  '30,000 objects updated, none moved (before: a nested loop of 900 million pairs, cancelled)');
SELECT cmp_ok(pg_temp.cpu_ms() - :c0, '<', 20000::float8, '... within 20 s of CPU');
UPDATE tcm.city_object SET lod = '3', territory_code = CASE id WHEN 'bulk7' THEN '91479' ELSE territory_code END
 WHERE id LIKE 'bulk%';
SELECT is((SELECT string_agg(id || ':' || territory_code, ',' ORDER BY id) FROM tcm.city_object
            WHERE id IN ('bulk7', 'bulk8', 'bulk30000')),
  'bulk30000:91479,bulk7:91479,bulk8:69381',
  '... and of 30,000 updated, the one moved (bulk7) takes its part (bulk30000) with it, the others stay');
RESET statement_timeout;

SELECT * FROM finish();
ROLLBACK;
