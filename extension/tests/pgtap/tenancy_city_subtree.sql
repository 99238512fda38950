-- pgTAP: a 3D city object's subtree moved in one statement, and cycles of parts (2026-12-08,
-- h4; docs/security-reviews.md#r-city-subtree-move).  Left open by h5's cascade
-- (tenancy_city_move.sql): (1) a Building and the part of its part moved in one statement were
-- refused, 23514: the parts' territory check (sr_derived_territory_upd) fired before the
-- cascade (sr_restrict_derived) had moved the part between them; it is now
-- sr_settled_territory_upd, named to fire after the cascade, and checks each part as it
-- stands once the statement is done.  (2) a cycle of parts (X part of Y part of X, an import's
-- data error) could not be moved by an agent at all (23514: X's parent Y was still of the
-- former territory), and the owner's statement moving two rows of one cycle in opposite
-- directions never ended (each level of the cascade moved the other's parts back: 54001, the
-- stack).  Now the cascade walks an object's parts of the former territory in one statement,
-- stopping at a row the statement itself moved: a cycle moves as one unit, and every walk ends.
-- Roles: ts_m an agent of 91479 and 69381, ts_a of 91479, ts_b of 69381, ts_r a reader.
BEGIN;
SELECT plan(26);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tst') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tst') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE ts_m IN ROLE smartregion_agent;
CREATE ROLE ts_a IN ROLE smartregion_agent;
CREATE ROLE ts_b IN ROLE smartregion_agent;
CREATE ROLE ts_r IN ROLE smartregion_reader;
INSERT INTO tst.agents (role_name, territory_code, territory_type)
  VALUES ('ts_m', '91479', NULL), ('ts_m', '69381', NULL), ('ts_a', '91479', NULL), ('ts_b', '69381', NULL);

-- "id:territory" of the objects and surfaces whose id starts with a prefix
CREATE FUNCTION pg_temp.ts_objects(prefix text) RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(id || ':' || territory_code, ',' ORDER BY id) FROM tst.city_object WHERE id LIKE prefix || '%'$$;
CREATE FUNCTION pg_temp.ts_surfaces(prefix text) RETURNS text LANGUAGE sql AS
  $$SELECT string_agg(object_id || ':' || territory_code, ',' ORDER BY object_id, id) FROM tst.city_surface WHERE object_id LIKE prefix || '%'$$;
-- what a role reads of them: "objects surfaces"
CREATE FUNCTION pg_temp.ts_reads(r name, prefix text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role(r, format('SELECT count(*)::text FROM tst.city_object WHERE id LIKE %L', prefix || '%')) || ' ' ||
         pg_temp.as_role(r, format('SELECT count(*)::text FROM tst.city_surface WHERE object_id LIKE %L', prefix || '%'))$$;

-- 91479's restricted chains B -> B1 -> B2 and E -> E1 -> E2, each Building and its part's
-- part with a surface; its restricted cycle X -> Y -> X (each the other's part), a surface
-- each
SELECT is(pg_temp.as_role('ts_a', $$
  INSERT INTO tst.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('B', 'Building', NULL, '91479', 'restricted'), ('B1', 'BuildingPart', 'B', '91479', 'restricted'),
           ('B2', 'BuildingPart', 'B1', '91479', 'restricted'),
           ('E', 'Building', NULL, '91479', 'restricted'), ('E1', 'BuildingPart', 'E', '91479', 'restricted'),
           ('E2', 'BuildingPart', 'E1', '91479', 'restricted');
  INSERT INTO tst.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('X', 'BuildingPart', NULL, '91479', 'restricted'), ('Y', 'BuildingPart', 'X', '91479', 'restricted');
  UPDATE tst.city_object SET parent_id = 'Y' WHERE id = 'X';
  INSERT INTO tst.city_surface (object_id, semantic_type, geom, territory_code, visibility)
    SELECT o, 'RoofSurface', ST_GeomFromText('POLYGON Z ((843000 6519000 179, 843010 6519000 179, 843010 6519010 179, 843000 6519000 179))', 2154),
           '91479', 'restricted'
      FROM unnest(ARRAY['B', 'B2', 'E', 'E2', 'X', 'Y']) o;
  SELECT 'written'$$, true), 'written', '91479 writes the chains B -> B1 -> B2 and E -> E1 -> E2 and the cycle X -> Y -> X, with surfaces');

-- (1) the Building and the part of its part in one statement
SELECT is(pg_temp.as_role('ts_a', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id IN ('B', 'B2') RETURNING 'moved'$$),
  '42501', 'the agent of 91479 alone cannot move B and B2 to 69381 (the write policy)');
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id IN ('B', 'B2'); SELECT 'moved'$$, true),
  'moved', 'the agent of both moves Building B and the part of its part B2 in one statement (before: 23514, B1 not moved yet)');
SELECT is(pg_temp.ts_objects('B') || ' ' || pg_temp.ts_surfaces('B'), 'B:69381,B1:69381,B2:69381 B:69381,B2:69381',
  'B, the part between them B1 and B2 are of 69381, and so are B''s and B2''s surfaces');
SELECT is(pg_temp.ts_reads('ts_a', 'B'), '0 0', 'the agent of 91479 reads none of them');
SELECT is(pg_temp.ts_reads('ts_r', 'B'), '0 0', 'nor does a reader');
SELECT is(pg_temp.ts_reads('ts_b', 'B'), '3 2', 'the agent of 69381 reads the three objects and the two surfaces');
SELECT is(pg_temp.as_role('ts_b', $$UPDATE tst.city_object SET lod = '2' WHERE id = 'B1' RETURNING lod$$), '2',
  '... and writes the part between them');
-- the whole subtree named back (passed before too: each part's parent named with it)
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '91479' WHERE id IN ('B', 'B1', 'B2'); SELECT 'moved'$$, true),
  'moved', 'the agent of both moves the whole subtree B, B1, B2 back, each named');
SELECT is(pg_temp.ts_objects('B') || ' ' || pg_temp.ts_surfaces('B'), 'B:91479,B1:91479,B2:91479 B:91479,B2:91479',
  'all of 91479 again, surfaces too');
-- fails closed: the part between them, which the mover reads but may not update (a
-- restrictive policy standing for any refusal), fails the statement
CREATE POLICY ts_no_middle ON tst.city_object AS RESTRICTIVE FOR UPDATE USING (current_user <> 'ts_m' OR id <> 'E1');
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id IN ('E', 'E2'); SELECT 'moved'$$, true),
  '42501', 'a part between them that the mover cannot update fails the move (42501; before: 23514)');
SELECT is(pg_temp.ts_objects('E') || ' ' || pg_temp.ts_surfaces('E'), 'E:91479,E1:91479,E2:91479 E:91479,E2:91479', 'nothing of E moved');
DROP POLICY ts_no_middle ON tst.city_object;
-- the check reads each part as the statement leaves it: a part R of 91479 given the parent Q
-- in the statement that moves Q to 69381 follows Q (R is of the territory Q left when the
-- statement ends), and passes (a check of R as the statement wrote it, 91479 under Q of 69381,
-- would refuse it, as the build before did: 23514)
SELECT is(pg_temp.as_role('ts_m', $$INSERT INTO tst.city_object (id, type, parent_id, territory_code, visibility)
    VALUES ('Q', 'Building', NULL, '91479', 'restricted'), ('R', 'BuildingPart', NULL, '91479', 'restricted');
  UPDATE tst.city_object SET parent_id = CASE id WHEN 'R' THEN 'Q' END, territory_code = CASE id WHEN 'Q' THEN '69381' ELSE territory_code END
   WHERE id IN ('Q', 'R'); SELECT 'moved'$$, true),
  'moved', 'the agent of both gives R the parent Q and moves Q to 69381 in one statement (before: 23514)');
SELECT is(pg_temp.ts_objects('Q') || ',' || pg_temp.ts_objects('R') || ' ' || pg_temp.ts_reads('ts_a', 'R') || ' / ' || pg_temp.ts_reads('ts_b', 'R'),
  'Q:69381,R:69381 0 0 / 1 0', 'R follows Q to 69381: 91479''s agent no longer reads it, 69381''s does');
-- the part of a part alone still does not leave its parent
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id = 'E2'; SELECT 'moved'$$, true),
  '23514', 'the part of a part moved alone is refused (23514), as before');

-- (2) a cycle of parts: moved as one unit
SELECT is(pg_temp.as_role('ts_a', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id = 'X' RETURNING 'moved'$$),
  '42501', 'the agent of 91479 alone cannot move the cycle to 69381');
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id = 'X'; SELECT 'moved'$$, true),
  'moved', 'the agent of both moves X, one object of the cycle X -> Y -> X (before: 23514, Y still of 91479)');
SELECT is(pg_temp.ts_objects('X') || ',' || pg_temp.ts_objects('Y') || ' ' || pg_temp.ts_surfaces('X') || ',' || pg_temp.ts_surfaces('Y'),
  'X:69381,Y:69381 X:69381,Y:69381', 'Y follows X, and both surfaces: the cycle moved as one unit, and the walk ended');
SELECT is(pg_temp.ts_reads('ts_a', 'X') || ' / ' || pg_temp.ts_reads('ts_r', 'X') || ' / ' || pg_temp.ts_reads('ts_b', 'X'),
  '0 0 / 0 0 / 1 1', 'X: the agent of 91479 and a reader read nothing, the agent of 69381 the object and its surface');
SELECT is(pg_temp.ts_reads('ts_b', 'Y'), '1 1', '... and Y with its surface');
-- moved back from the other object of the cycle
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '91479' WHERE id = 'Y'; SELECT 'moved'$$, true),
  'moved', 'the agent of both moves the cycle back through Y');
SELECT is(pg_temp.ts_objects('X') || ',' || pg_temp.ts_objects('Y'), 'X:91479,Y:91479', 'both of 91479 again');

-- two objects of one cycle moved to each other's territory in one statement: the walk stops
-- at a row the statement moved, so it ends.  By the owner, whose writes no territory check
-- binds (U of 91479 and V of 69381 written so): each as the statement says (before: the
-- cascade moved each back under the other, level after level, until the stack ran out)
INSERT INTO tst.city_object (id, type, parent_id, territory_code, visibility)
  VALUES ('U', 'BuildingPart', 'V', '91479', 'public'), ('V', 'BuildingPart', 'U', '69381', 'public');
SELECT lives_ok($$UPDATE tst.city_object SET territory_code = CASE id WHEN 'U' THEN '69381' ELSE '91479' END WHERE id IN ('U', 'V')$$,
  'the owner swaps the territories of U and V, each the other''s part: the statement ends (before: 54001)');
SELECT is(pg_temp.ts_objects('U') || ',' || pg_temp.ts_objects('V'), 'U:69381,V:91479', 'each of the territory the statement gave it');
-- by an agent, on a cycle it made whole (U, V of 91479, moved to 69381 through U): U sent back
-- to 91479 with V written as it was takes V with it (V is of the territory U left when the
-- statement ends, as a part written with its unchanged territory always was)
UPDATE tst.city_object SET territory_code = '91479' WHERE id = 'U';
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = '69381' WHERE id = 'U'; SELECT 'moved'$$, true),
  'moved', 'the agent of both moves the cycle U, V (both of 91479) to 69381 through U');
SELECT is(pg_temp.as_role('ts_m', $$UPDATE tst.city_object SET territory_code = CASE id WHEN 'U' THEN '91479' ELSE '69381' END
  WHERE id IN ('U', 'V'); SELECT pg_temp.ts_objects('U') || ',' || pg_temp.ts_objects('V')$$, true),
  'U:91479,V:91479', 'U sent back with V written as it was: V follows U, and the statement ends');

SELECT * FROM finish();
ROLLBACK;
