-- ---------------------------------------------------------------------------
-- Tiers-lieux matching: scores, explanations, plugin criteria, top-k search,
-- region-wide assignment (docs/matching.md)
-- ---------------------------------------------------------------------------

-- Plugin criteria -----------------------------------------------------------
CREATE TABLE @extschema@.match_criterion (
  name        text PRIMARY KEY
              CONSTRAINT match_criterion_name_format CHECK (name ~ '^[a-z][a-z0-9_]*$'
                AND name NOT IN ('distance', 'surface', 'price', 'amenities', 'hours', 'capacity',
                                 'decay', 'distance_scale_km', 'travel_scale_min')),
  -- the function's schema-qualified signature (trigger sr_canonical_name):
  -- text, not regprocedure, which pg_upgrade refuses in a user table
  function    text NOT NULL,
  weight      double precision NOT NULL DEFAULT 1
              CONSTRAINT match_criterion_weight_range CHECK (weight >= 0 AND weight <= 1000),
  hard        boolean NOT NULL DEFAULT false,
  description text,
  -- extension whose install script registered the criterion; NULL = by hand
  provider    text DEFAULT @extschema@._current_extension()
);
COMMENT ON TABLE @extschema@.match_criterion IS
  'plugin criteria of match_score, match_explain and match_candidates: a function (project jsonb, premise jsonb) -> float8 in [0,1] (NULL fails a hard criterion; its signature, resolved when written and stored schema-qualified), its weight, and whether it is hard';
CREATE TRIGGER sr_canonical_name BEFORE INSERT OR UPDATE ON @extschema@.match_criterion
  FOR EACH ROW EXECUTE FUNCTION @extschema@._registered_function_name('function');
CREATE TRIGGER sr_code_guard BEFORE INSERT OR UPDATE ON @extschema@.match_criterion
  FOR EACH ROW EXECUTE FUNCTION @extschema@._code_registry_guard('function');
-- rows registered by hand are user configuration: keep them in pg_dump; rows
-- of another extension are re-created by that extension's own script
SELECT pg_catalog.pg_extension_config_dump('@extschema@.match_criterion', 'WHERE provider IS NULL');

-- Scores ----------------------------------------------------------------------
CREATE FUNCTION @extschema@.match_score(project jsonb, premise jsonb, weights jsonb DEFAULT NULL)
RETURNS double precision
  AS 'MODULE_PATHNAME', 'sr_fn_match_score'
  LANGUAGE C STABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.match_score(jsonb, jsonb, jsonb) IS
  'score in [0, 1] of a premise for a project: 0 when a hard constraint fails, else the weighted mean of the soft criteria (distance decay, surface, price, wished amenities, opening hours, capacity, registered criteria); NULL when project or premise is NULL';

CREATE FUNCTION @extschema@.match_explain(project jsonb, premise jsonb, weights jsonb DEFAULT NULL)
RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_match_explain'
  LANGUAGE C STABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.match_explain(jsonb, jsonb, jsonb) IS
  'explanation of match_score: score, failed hard constraints with reasons, and each criterion''s value, weight and contribution, as jsonb';

-- Bulk ------------------------------------------------------------------------
CREATE FUNCTION @extschema@.match_candidates(projects_sql text, premises_sql text, k int DEFAULT 10,
  weights jsonb DEFAULT NULL, travel_sql text DEFAULT NULL)
RETURNS TABLE (project_id bigint, premise_id bigint, rank int, score double precision)
  AS 'MODULE_PATHNAME', 'sr_fn_match_candidates'
  LANGUAGE C VOLATILE PARALLEL UNSAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION @extschema@.match_candidates(text, text, int, jsonb, text) IS
  'the k best premises (score > 0) of every project, read in one pass from two queries, with an exact best-first search over k-d trees of the premises; travel_sql (project_id, premise_id, minutes) replaces straight-line distance and restricts candidates to its pairs';

CREATE FUNCTION @extschema@.match_assign(pairs_sql text, method text DEFAULT 'optimal',
  capacities_sql text DEFAULT NULL)
RETURNS TABLE (project_id bigint, premise_id bigint, score double precision)
  AS 'MODULE_PATHNAME', 'sr_fn_match_assign'
  LANGUAGE C VOLATILE PARALLEL UNSAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION @extschema@.match_assign(text, text, text) IS
  'assigns at most one premise to each project from pairs_sql (project_id, premise_id, score), premises holding capacities_sql (premise_id, capacity; default 1): optimal (maximum total score), stable (project-proposing deferred acceptance), stable_premises (premise-proposing) or greedy';

-- Hub tables --------------------------------------------------------------------
DO $do$
DECLARE
  geom text := pg_catalog.quote_ident(@extschema@._postgis_schema()) || '.geometry(Point, 4326)';
BEGIN
  PERFORM @extschema@.register_hub_table('premises', 'tiers_lieux_matching', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.premises (
      id                 bigint PRIMARY KEY,
      name               text,
      owner              text,
      commune_code       text,
      location           __GEOM__ NOT NULL,
      kinds              text[] NOT NULL DEFAULT '{}',
      surface_m2         double precision CHECK (surface_m2 >= 0),
      capacity           integer CHECK (capacity >= 0),
      rent_month         double precision CHECK (rent_month >= 0),
      available_from     date,
      available_to       date,
      min_term_months    double precision CHECK (min_term_months >= 0),
      amenities          text[] NOT NULL DEFAULT '{}',
      step_free          boolean NOT NULL DEFAULT false,
      hours              jsonb,
      activities_allowed text[] NOT NULL DEFAULT '{}',
      source             text,
      synthetic          boolean NOT NULL DEFAULT false
    );
    CREATE INDEX IF NOT EXISTS premises_location_gist ON %1$I.premises USING gist (location);
    -- the data subjects' requests find an owner's premises by it (subject_export,
    -- subject_erase: docs/governance.md, requests at scale)
    CREATE INDEX IF NOT EXISTS premises_owner_idx ON %1$I.premises (owner)
  $ddl$, '__GEOM__', geom), 40);

  PERFORM @extschema@.register_hub_table('projects', 'tiers_lieux_matching', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.projects (
      id                 bigint PRIMARY KEY,
      name               text,
      holder             text,
      location           __GEOM__,
      max_distance_km    double precision CHECK (max_distance_km >= 0),
      max_travel_min     double precision CHECK (max_travel_min >= 0),
      kinds              text[] NOT NULL DEFAULT '{}',
      surface_min_m2     double precision CHECK (surface_min_m2 >= 0),
      surface_max_m2     double precision CHECK (surface_max_m2 >= 0),
      team_size          integer CHECK (team_size >= 0),
      budget_month       double precision CHECK (budget_month >= 0),
      start_date         date,
      duration_months    double precision CHECK (duration_months >= 0),
      amenities_required text[] NOT NULL DEFAULT '{}',
      amenities_wished   text[] NOT NULL DEFAULT '{}',
      step_free_needed   boolean NOT NULL DEFAULT false,
      hours              jsonb,
      activities         text[] NOT NULL DEFAULT '{}',
      synthetic          boolean NOT NULL DEFAULT false
    );
    CREATE INDEX IF NOT EXISTS projects_location_gist ON %1$I.projects USING gist (location);
    -- the data subjects' requests and a withdrawn consent find a holder's projects by it
    -- (subject_export, subject_erase, sr_consent_withdrawn: docs/governance.md, requests at scale)
    CREATE INDEX IF NOT EXISTS projects_holder_idx ON %1$I.projects (holder)
  $ddl$, '__GEOM__', geom), 41);
END
$do$;

-- Catalogue and register of personal data ----------------------------------------
SELECT @extschema@.register_dataset('premises', 'Premises for tiers-lieux',
  'Premises offered to tiers-lieux and other projects (coworking, workshops, offices): location, kinds, surface, capacity, rent, availability, amenities, opening hours.',
  ARRAY['ECON', 'REGI'], ARRAY['tiers-lieux', 'premises', 'coworking'], 'MONTHLY', 'available_from', 'RESTRICTED');
SELECT @extschema@.register_dataset('projects', 'Projects looking for premises',
  'Projects looking for premises: needs (surface, budget, team, amenities, hours) and their holders.',
  ARRAY['ECON', 'SOCI'], ARRAY['tiers-lieux', 'projects'], 'CONT', 'start_date', 'RESTRICTED');
SELECT @extschema@.register_personal_data('projects', 'holder', 'subject_id',
  'identification (name or e-mail address of the project holder)', 'holders of projects looking for premises',
  'matching projects with available premises', 'consent',
  'the agents of the project''s territory (of every territory for a public project) and the platform; the owner of a premise once the holder accepts a match', interval '2 years',
  'delete', consent_purpose => 'tiers_lieux_matching');
SELECT @extschema@.register_personal_data('premises', 'owner', 'subject_id',
  'identification (owner of the premises, when a natural person)', 'owners of premises offered to projects',
  'offering premises to projects', 'legitimate_interests',
  'the agents of the premise''s territory (of every territory for a public premise) and the platform; a project holder once matched', interval '3 years', 'pseudonymise');

SELECT @extschema@.register_service('tiers_lieux_matching', '0.1.0',
  'matches project holders with available premises (tiers-lieux, vacant offices): scores with explanations, plugin criteria, top-k search and region-wide optimal or stable assignment',
  ARRAY['match_score', 'match_explain', 'match_candidates', 'match_assign']);
