-- The first round of tl_propose in Ile-de-France and what the acceptance makes of it
-- (docs/matching.md, "Teams are counted in people"): a request for each Ile-de-France project
-- without an open one, tl_propose (optimal, k 10), then every proposal of the run accepted in
-- id order, the refusals (23P01: no room left for the team) counted.  All rolled back.
--   psql -X -d smartregion_demo -f scripts/tl-propose-refusals.sql     (after make demo)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
INSERT INTO hub.tl_request (project_id)
SELECT p.id FROM hub.projects p WHERE p.territory_code = '11'
   AND NOT EXISTS (SELECT 1 FROM hub.tl_request r WHERE r.project_id = p.id AND r.status = 'open');
CREATE TEMP TABLE r1 AS SELECT * FROM smartregion.tl_propose('{"method": "optimal", "k": 10}');
SELECT count(*) AS proposals, count(DISTINCT premise_id) AS premises, round(sum(score)::numeric, 2) AS total_score FROM r1;
-- premises whose proposed teams, all periods together, exceed their capacity (teams of
-- periods apart may: the acceptance counts each moment)
SELECT count(*) AS premises_over_capacity FROM (
  SELECT r1.premise_id FROM r1 JOIN hub.projects p ON p.id = r1.project_id JOIN hub.premises m ON m.id = r1.premise_id
   WHERE m.capacity IS NOT NULL GROUP BY r1.premise_id, m.capacity
  HAVING sum(GREATEST(coalesce(p.team_size, 1), 0)) > m.capacity) s;
CREATE TEMP TABLE refused (id bigint);
DO $$
DECLARE x record;
BEGIN
  FOR x IN SELECT o.id FROM hub.tl_proposal o JOIN r1 ON r1.proposal_id = o.id WHERE o.status = 'pending' ORDER BY o.id LOOP
    BEGIN
      UPDATE hub.tl_proposal SET status = 'accepted' WHERE id = x.id;
    EXCEPTION WHEN exclusion_violation THEN
      INSERT INTO refused VALUES (x.id);
    END;
  END LOOP;
END $$;
SELECT (SELECT count(*) FROM refused) AS refused_23p01, count(*) AS accepted, round(sum(r1.score)::numeric, 2) AS accepted_score
  FROM hub.tl_proposal o JOIN r1 ON r1.proposal_id = o.id WHERE o.status = 'accepted';
ROLLBACK;
