-- ---------------------------------------------------------------------------
-- Digital-maturity observatory (issue 7): frameworks, territories, indicator
-- values and answers, scores, levels, peers, roll-up, Monte-Carlo
-- uncertainty, recommendations and radar charts.  See docs/maturity.md.
-- ---------------------------------------------------------------------------

-- Reference data: territories -------------------------------------------------
SELECT @extschema@._run_ddl($ddl$
CREATE TABLE @extschema@.territory (
  type             text NOT NULL
                   CONSTRAINT territory_type_check CHECK (type IN ('commune', 'epci', 'departement', 'region')),
  code             text NOT NULL
                   CONSTRAINT territory_code_format CHECK (code ~ '^[0-9A-Z]{2,9}$'),
  name             text NOT NULL,
  epci_code        text,
  departement_code text,
  region_code      text,
  population       bigint CONSTRAINT territory_population_check CHECK (population >= 0),
  -- whether population counts the whole territory (load_territories): its own figure in the
  -- package (a commune, an EPCI), or a sum of communes every one of which has one; false
  -- when the sum leaves some out (their population unknown) or there is none; NULL for a
  -- row load_territories did not write
  population_complete boolean,
  -- where population comes from (load_territories): 'package', the territory's own figure in
  -- the package (a commune, an EPCI the package gives one), or 'communes', the sum of its
  -- communes' known populations (a département, a région, an EPCI without a figure), which
  -- every load recomputes, a load of the communes alone too; NULL for a row written by hand
  population_source text CONSTRAINT territory_population_source_check
                   CHECK (population_source IN ('package', 'communes')),
  geom             @postgis@.geometry(MultiPolygon, 4326),
  PRIMARY KEY (type, code)
)
$ddl$);
COMMENT ON TABLE @extschema@.territory IS
  'French territories (communes, EPCI, départements, régions) with code, parents and population, loaded by smartregion.load_territories() from @etalab/decoupage-administratif; platform-wide reference data kept by pg_dump';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.territory', '');
CREATE INDEX territory_code_idx ON @extschema@.territory (code);

-- the parts of current communes that have a code of their own: communes déléguées
-- and associées (former communes merged into a current one) and municipal
-- arrondissements, each with the current commune it belongs to
CREATE TABLE @extschema@.commune_part (
  code         text PRIMARY KEY
               CONSTRAINT commune_part_code_format CHECK (code ~ '^[0-9][0-9AB][0-9]{3}$'),
  name         text,            -- NULL for a former commune absorbed outright (its code only is known)
  kind         text NOT NULL
               CONSTRAINT commune_part_kind_check CHECK (kind IN ('commune-deleguee', 'commune-associee', 'arrondissement-municipal',
                                                                  'ancienne-commune')),
  commune_code text NOT NULL,
  CONSTRAINT commune_part_name_check CHECK (name IS NOT NULL OR kind = 'ancienne-commune')
);
COMMENT ON TABLE @extschema@.commune_part IS
  'communes déléguées and associées (former communes merged into a current one), former communes absorbed outright (kind ancienne-commune, from the current commune''s anciensCodes: no name) and municipal arrondissements, each with the current commune it belongs to (commune_code), loaded by smartregion.load_territories() with the communes; maps the codes of earlier years'' data to the communes of today; platform-wide reference data kept by pg_dump';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.commune_part', '');
CREATE INDEX commune_part_commune_idx ON @extschema@.commune_part (commune_code);

-- the one rule for a commune code of any year: a current commune is itself; a
-- former commune (déléguée, associée) or a municipal arrondissement whose code is
-- not a current commune's counts in the current commune it belongs to
CREATE VIEW @extschema@.commune_today WITH (security_invoker = true) AS
SELECT t.code, t.code AS commune_code
  FROM @extschema@.territory t
 WHERE t.type OPERATOR(pg_catalog.=) 'commune'
UNION ALL
SELECT p.code, p.commune_code
  FROM @extschema@.commune_part p
 WHERE NOT EXISTS (SELECT FROM @extschema@.territory t
                    WHERE t.type OPERATOR(pg_catalog.=) 'commune' AND t.code OPERATOR(pg_catalog.=) p.code)
   AND EXISTS (SELECT FROM @extschema@.territory c
                WHERE c.type OPERATOR(pg_catalog.=) 'commune' AND c.code OPERATOR(pg_catalog.=) p.commune_code);
COMMENT ON VIEW @extschema@.commune_today IS
  'every commune code known (current communes, communes déléguées and associées, municipal arrondissements) with the current commune it counts in (commune_code): a current commune is itself, another code its commune_part commune; joins earlier years'' data to the communes of today; reads smartregion.territory and commune_part with the caller''s rights';
GRANT SELECT ON @extschema@.commune_today TO PUBLIC;

-- Reference data: frameworks ----------------------------------------------------
CREATE TABLE @extschema@.maturity_framework (
  name        text PRIMARY KEY
              CONSTRAINT maturity_framework_name_format CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  version     text NOT NULL,
  description text,
  builtin     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.maturity_framework IS
  'digital-maturity frameworks (versioned data): axes, indicators, weights and levels hang off a framework name; builtin rows ship with the extension';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_framework', 'WHERE NOT builtin');

CREATE TABLE @extschema@.maturity_axis (
  framework text NOT NULL REFERENCES @extschema@.maturity_framework (name) ON UPDATE CASCADE ON DELETE CASCADE,
  axis      text NOT NULL CONSTRAINT maturity_axis_name_format CHECK (axis ~ '^[a-z][a-z0-9_]*$'),
  position  int NOT NULL,
  label     text NOT NULL,
  weight    double precision NOT NULL
            CONSTRAINT maturity_axis_weight_range CHECK (weight > 0 AND weight <= 1),
  PRIMARY KEY (framework, axis),
  UNIQUE (framework, position)
);
COMMENT ON TABLE @extschema@.maturity_axis IS
  'axes of a maturity framework, in display order; the weights of a framework''s axes must sum to 1';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_axis',
  'WHERE framework NOT IN (SELECT name FROM smartregion.maturity_framework WHERE builtin)');

CREATE TABLE @extschema@.maturity_indicator (
  framework text NOT NULL,
  indicator text NOT NULL CONSTRAINT maturity_indicator_name_format CHECK (indicator ~ '^[a-z][a-z0-9_]*$'),
  axis      text NOT NULL,
  position  int NOT NULL DEFAULT 0,
  label     text NOT NULL,
  kind      text NOT NULL
            CONSTRAINT maturity_indicator_kind_check CHECK (kind IN ('quantitative', 'declarative')),
  unit      text,
  goal_min  double precision NOT NULL,
  goal_max  double precision NOT NULL,
  direction smallint NOT NULL DEFAULT 1
            CONSTRAINT maturity_indicator_direction_check CHECK (direction IN (-1, 1)),
  weight    double precision NOT NULL
            CONSTRAINT maturity_indicator_weight_range CHECK (weight > 0 AND weight <= 1),
  rollup    text NOT NULL DEFAULT 'population_weighted_mean'
            CONSTRAINT maturity_indicator_rollup_check CHECK (rollup IN ('population_weighted_mean', 'mean', 'min', 'max')),
  -- the plugin function's schema-qualified signature (trigger sr_canonical_name):
  -- text, not regprocedure, which pg_upgrade refuses in a user table
  plugin    text,
  PRIMARY KEY (framework, indicator),
  FOREIGN KEY (framework, axis) REFERENCES @extschema@.maturity_axis (framework, axis) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT maturity_indicator_goalposts_check CHECK (goal_min < goal_max),
  CONSTRAINT maturity_indicator_goalposts_finite CHECK (goal_min > '-Infinity' AND goal_max < 'Infinity'),
  CONSTRAINT maturity_indicator_declarative_scale CHECK (kind = 'quantitative' OR (goal_min = 1 AND goal_max = 5 AND direction = 1))
);
COMMENT ON TABLE @extschema@.maturity_indicator IS
  'indicators of a maturity framework: quantitative (fixed goalposts goal_min < goal_max and a direction) or declarative (answers on a 1-5 scale); weights within an axis sum to 1; plugin = SQL function computing the values (its schema-qualified signature)';
CREATE TRIGGER sr_canonical_name BEFORE INSERT OR UPDATE ON @extschema@.maturity_indicator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._registered_function_name('plugin');
CREATE TRIGGER sr_code_guard BEFORE INSERT OR UPDATE ON @extschema@.maturity_indicator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._code_registry_guard('plugin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_indicator',
  'WHERE framework NOT IN (SELECT name FROM smartregion.maturity_framework WHERE builtin)');

CREATE TABLE @extschema@.maturity_level (
  framework text NOT NULL REFERENCES @extschema@.maturity_framework (name) ON UPDATE CASCADE ON DELETE CASCADE,
  level     smallint NOT NULL CONSTRAINT maturity_level_range CHECK (level BETWEEN 1 AND 10),
  min_score double precision NOT NULL CONSTRAINT maturity_level_min_score_range CHECK (min_score >= 0 AND min_score <= 100),
  label     text NOT NULL,
  PRIMARY KEY (framework, level)
);
COMMENT ON TABLE @extschema@.maturity_level IS
  'maturity levels of a framework: a score reaches level L when it is >= min_score of L (level 1 starts at 0, bounds increase with the level)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_level',
  'WHERE framework NOT IN (SELECT name FROM smartregion.maturity_framework WHERE builtin)');

-- Hub data: indicator values and declarative answers, with source and year ------
SELECT @extschema@.register_hub_table('maturity_value', 'digital_maturity', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.maturity_value (
    indicator      text NOT NULL,
    territory_type text NOT NULL CONSTRAINT maturity_value_type_check
                   CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code text NOT NULL,
    year           int NOT NULL CONSTRAINT maturity_value_year_range CHECK (year BETWEEN 1900 AND 2200),
    value          double precision NOT NULL CONSTRAINT maturity_value_finite
                   CHECK (value > '-Infinity' AND value < 'Infinity'),
    source         text NOT NULL,
    PRIMARY KEY (indicator, territory_type, territory_code, year))
$ddl$, 60);

SELECT @extschema@.register_hub_table('maturity_answer', 'digital_maturity', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.maturity_answer (
    indicator      text NOT NULL,
    territory_type text NOT NULL CONSTRAINT maturity_answer_type_check
                   CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code text NOT NULL,
    year           int NOT NULL CONSTRAINT maturity_answer_year_range CHECK (year BETWEEN 1900 AND 2200),
    respondent     text NOT NULL DEFAULT 'self',
    answer         smallint NOT NULL CONSTRAINT maturity_answer_range CHECK (answer BETWEEN 1 AND 5),
    source         text NOT NULL,
    PRIMARY KEY (indicator, territory_type, territory_code, year, respondent));
  -- the data subjects' requests find a respondent's answers by it, which the primary key,
  -- led by the indicator, does not (subject_export, subject_erase: docs/governance.md,
  -- requests at scale)
  CREATE INDEX IF NOT EXISTS maturity_answer_respondent_idx ON %1$I.maturity_answer (respondent)
$ddl$, 61);

-- Default framework: 9 axes x 4 indicators -------------------------------------
INSERT INTO @extschema@.maturity_framework (name, version, description, builtin) VALUES
 ('default', '1.0', 'smartregion default digital-maturity framework: 9 axes x 4 indicators, equal weights, fixed goalposts (DESI-style), levels ad hoc / emerging / structured / managed / optimised', true);

INSERT INTO @extschema@.maturity_axis (framework, axis, position, label, weight) VALUES
 ('default', 'innovation_lab',        1, 'Innovation lab',                1.0 / 9),
 ('default', 'e_administration',      2, 'E-administration',              1.0 / 9),
 ('default', 'open_data',             3, 'Open data',                     1.0 / 9),
 ('default', 'infrastructure',        4, 'Digital infrastructure',        1.0 / 9),
 ('default', 'smart_city',            5, 'Smart-city projects',           1.0 / 9),
 ('default', 'services_residents',    6, 'Services to residents',         1.0 / 9),
 ('default', 'inclusion',             7, 'Digital inclusion',             1.0 / 9),
 ('default', 'business_support',      8, 'Business digital support',      1.0 / 9),
 ('default', 'digital_economy',       9, 'Digital economy',               1.0 / 9);

INSERT INTO @extschema@.maturity_indicator
  (framework, axis, position, indicator, label, kind, unit, goal_min, goal_max, direction, weight, rollup) VALUES
 ('default', 'innovation_lab', 1, 'lab_in_place', 'Innovation lab in place (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'innovation_lab', 2, 'tiers_lieux_per_100k', 'Tiers-lieux per 100,000 inhabitants', 'quantitative', 'per 100,000 inhabitants', 0, 20, 1, 0.25, 'population_weighted_mean'),
 ('default', 'innovation_lab', 3, 'lab_projects_per_100k', 'Innovation projects run per 100,000 inhabitants', 'quantitative', 'per 100,000 inhabitants', 0, 30, 1, 0.25, 'population_weighted_mean'),
 ('default', 'innovation_lab', 4, 'open_innovation', 'Partnerships with research, start-ups and citizens (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'e_administration', 1, 'online_procedures_share', 'Administrative procedures available online', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'e_administration', 2, 'e_invoicing_share', 'Supplier invoices processed electronically', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'e_administration', 3, 'citizen_account', 'Online citizen account and digital identity (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'e_administration', 4, 'back_office', 'Digitalisation of back-office processes (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'open_data', 1, 'open_datasets_per_10k', 'Open datasets published per 10,000 inhabitants', 'quantitative', 'per 10,000 inhabitants', 0, 20, 1, 0.25, 'population_weighted_mean'),
 ('default', 'open_data', 2, 'open_data_policy', 'Open data by default (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'open_data', 3, 'data_governance', 'Data governance: data officer, inventory (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'open_data', 4, 'api_share', 'Datasets available through an API', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'infrastructure', 1, 'ftth_coverage', 'Premises passed by FttH (ARCEP)', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'infrastructure', 2, 'mobile_4g_coverage', 'Population covered in 4G by all operators', 'quantitative', '%', 50, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'infrastructure', 3, 'public_wifi_per_10k', 'Public Wi-Fi hotspots per 10,000 inhabitants', 'quantitative', 'per 10,000 inhabitants', 0, 20, 1, 0.25, 'population_weighted_mean'),
 ('default', 'infrastructure', 4, 'infrastructure_plan', 'Digital infrastructure plan (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'smart_city', 1, 'smart_projects_per_100k', 'Smart-city projects in operation per 100,000 inhabitants', 'quantitative', 'per 100,000 inhabitants', 0, 10, 1, 0.25, 'population_weighted_mean'),
 ('default', 'smart_city', 2, 'connected_lighting_share', 'Connected public lighting points', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'smart_city', 3, 'urban_data_platform', 'Urban data platform and hypervision (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'smart_city', 4, 'smart_city_strategy', 'Smart-city strategy and governance (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'services_residents', 1, 'online_services', 'Online services offered to residents', 'quantitative', 'services', 0, 40, 1, 0.25, 'population_weighted_mean'),
 ('default', 'services_residents', 2, 'online_payment_share', 'Local services payable online', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'services_residents', 3, 'resident_app', 'Resident portal or mobile app (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'services_residents', 4, 'user_satisfaction', 'Satisfaction with online services', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'inclusion', 1, 'mediation_points_per_10k', 'Digital mediation points per 10,000 inhabitants', 'quantitative', 'per 10,000 inhabitants', 0, 5, 1, 0.25, 'population_weighted_mean'),
 ('default', 'inclusion', 2, 'digital_fragility', 'Digital fragility index (population at risk, lower is better)', 'quantitative', '%', 0, 60, -1, 0.25, 'population_weighted_mean'),
 ('default', 'inclusion', 3, 'advisers_per_10k', 'Digital advisers per 10,000 inhabitants', 'quantitative', 'per 10,000 inhabitants', 0, 3, 1, 0.25, 'population_weighted_mean'),
 ('default', 'inclusion', 4, 'inclusion_plan', 'Digital inclusion plan (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'business_support', 1, 'smes_supported_per_1k', 'SMEs supported per 1,000 establishments', 'quantitative', 'per 1,000 establishments', 0, 50, 1, 0.25, 'population_weighted_mean'),
 ('default', 'business_support', 2, 'business_programme', 'Business digital-transition programme (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean'),
 ('default', 'business_support', 3, 'incubators_per_100k', 'Incubators and accelerators per 100,000 inhabitants', 'quantitative', 'per 100,000 inhabitants', 0, 5, 1, 0.25, 'population_weighted_mean'),
 ('default', 'business_support', 4, 'business_ftth_share', 'Business premises passed by FttH', 'quantitative', '%', 0, 100, 1, 0.25, 'population_weighted_mean'),
 ('default', 'digital_economy', 1, 'ict_establishments_share', 'ICT establishments (NAF 58-63) among establishments', 'quantitative', '%', 0, 10, 1, 0.25, 'population_weighted_mean'),
 ('default', 'digital_economy', 2, 'ict_jobs_share', 'Jobs in ICT among jobs', 'quantitative', '%', 0, 10, 1, 0.25, 'population_weighted_mean'),
 ('default', 'digital_economy', 3, 'startups_per_100k', 'Digital start-ups per 100,000 inhabitants', 'quantitative', 'per 100,000 inhabitants', 0, 50, 1, 0.25, 'population_weighted_mean'),
 ('default', 'digital_economy', 4, 'digital_economy_strategy', 'Digital-economy development strategy (self-assessment)', 'declarative', '1-5', 1, 5, 1, 0.25, 'mean');

INSERT INTO @extschema@.maturity_level (framework, level, min_score, label) VALUES
 ('default', 1, 0, 'ad hoc'), ('default', 2, 20, 'emerging'), ('default', 3, 40, 'structured'),
 ('default', 4, 60, 'managed'), ('default', 5, 80, 'optimised');

-- Framework checks --------------------------------------------------------------
CREATE FUNCTION @extschema@.maturity_check_framework(framework text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  s double precision;
  args_given boolean;
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage maturity_check_framework
  -- a NULL name is 22004, as in the C functions (it read 'framework "<NULL>" does not exist'):
  -- the shared NULL check (docs/governance.md#null-arguments), after the check of USAGE above
  args_given := @extschema@._require_args('framework', framework);
  IF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_framework f WHERE f.name = framework) THEN
    RAISE EXCEPTION 'maturity framework "%" does not exist', framework
      USING ERRCODE = '42704', HINT = 'The frameworks are listed in smartregion.maturity_framework; the shipped one is "default".';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_axis a WHERE a.framework = maturity_check_framework.framework) THEN
    RAISE EXCEPTION 'maturity framework "%" has no axis', framework USING ERRCODE = '22023';
  END IF;
  SELECT pg_catalog.sum(a.weight) INTO s FROM @extschema@.maturity_axis a WHERE a.framework = maturity_check_framework.framework;
  IF pg_catalog.abs(s - 1) > 1e-6 THEN
    RAISE EXCEPTION 'axis weights of maturity framework "%" sum to %, not 1', framework, s
      USING ERRCODE = '22023', DETAIL = 'The weights of the axes of a framework must sum to 1 (tolerance 1e-6).';
  END IF;
  FOR r IN SELECT a.axis, pg_catalog.sum(i.weight) AS w, pg_catalog.count(i.indicator) AS n
             FROM @extschema@.maturity_axis a
             LEFT JOIN @extschema@.maturity_indicator i ON i.framework = a.framework AND i.axis = a.axis
            WHERE a.framework = maturity_check_framework.framework
            GROUP BY a.axis, a.position ORDER BY a.position LOOP
    IF r.n = 0 THEN
      RAISE EXCEPTION 'axis "%" of maturity framework "%" has no indicator', r.axis, framework USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.abs(r.w - 1) > 1e-6 THEN
      RAISE EXCEPTION 'indicator weights of axis "%" of maturity framework "%" sum to %, not 1', r.axis, framework, r.w
        USING ERRCODE = '22023', DETAIL = 'The weights of the indicators of each axis must sum to 1 (tolerance 1e-6).';
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_level l WHERE l.framework = maturity_check_framework.framework
                    AND l.level = 1 AND l.min_score = 0) THEN
    RAISE EXCEPTION 'maturity framework "%" needs a level 1 starting at score 0', framework USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT l.level, l.min_score,
                                   pg_catalog.lag(l.min_score) OVER (ORDER BY l.level) AS prev,
                                   pg_catalog.lag(l.level) OVER (ORDER BY l.level) AS prev_level
                              FROM @extschema@.maturity_level l WHERE l.framework = maturity_check_framework.framework) q
              WHERE q.prev IS NOT NULL AND (q.min_score <= q.prev OR q.level <> q.prev_level + 1)) THEN
    RAISE EXCEPTION 'levels of maturity framework "%" must be numbered 1, 2, ... with increasing min_score', framework
      USING ERRCODE = '22023';
  END IF;
  RETURN (SELECT f.version FROM @extschema@.maturity_framework f WHERE f.name = framework);
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_check_framework(text) IS
  'validates a maturity framework (axis weights sum to 1, indicator weights of each axis sum to 1, levels numbered from 1 at score 0 with increasing bounds) and returns its version; raises 42704 or 22023, 22004 for a NULL name';

CREATE FUNCTION @extschema@.maturity_copy_framework(source text, target text, version text DEFAULT '1.0')
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  args_given boolean;
BEGIN
  PERFORM @extschema@.maturity_check_framework(source);
  -- (a NULL target was the not-null violation 23502 of maturity_framework.name; the shared
  -- NULL check, after the source's)
  args_given := @extschema@._require_args('target', target);
  INSERT INTO @extschema@.maturity_framework (name, version, description, builtin)
  SELECT target, maturity_copy_framework.version, 'copy of ' || f.name || ' ' || f.version, false
    FROM @extschema@.maturity_framework f WHERE f.name = source;
  INSERT INTO @extschema@.maturity_axis (framework, axis, position, label, weight)
  SELECT target, a.axis, a.position, a.label, a.weight FROM @extschema@.maturity_axis a WHERE a.framework = source;
  INSERT INTO @extschema@.maturity_indicator (framework, indicator, axis, position, label, kind, unit, goal_min, goal_max,
                                              direction, weight, rollup, plugin)
  SELECT target, i.indicator, i.axis, i.position, i.label, i.kind, i.unit, i.goal_min, i.goal_max, i.direction,
         i.weight, i.rollup, i.plugin
    FROM @extschema@.maturity_indicator i WHERE i.framework = source;
  INSERT INTO @extschema@.maturity_level (framework, level, min_score, label)
  SELECT target, l.level, l.min_score, l.label FROM @extschema@.maturity_level l WHERE l.framework = source;
  -- the question bank and the translated labels (62-campaigns.sql) go with the framework
  INSERT INTO @extschema@.maturity_question (framework, indicator, lang, question, answer_labels, help)
  SELECT target, q.indicator, q.lang, q.question, q.answer_labels, q.help FROM @extschema@.maturity_question q WHERE q.framework = source;
  INSERT INTO @extschema@.maturity_label (framework, kind, key, lang, label)
  SELECT target, l.kind, l.key, l.lang, l.label FROM @extschema@.maturity_label l WHERE l.framework = source;
  RETURN target;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_copy_framework(text, text, text) IS
  'copies a maturity framework (axes, indicators, weights, levels, question bank and translated labels) under a new name, to customise it; returns the new name';

CREATE FUNCTION @extschema@.maturity_register_plugin(framework text, indicator text, plugin text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p record;
  proc regprocedure;
BEGIN
  PERFORM @extschema@.maturity_check_framework(framework);
  IF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_indicator i
                  WHERE i.framework = maturity_register_plugin.framework AND i.indicator = maturity_register_plugin.indicator) THEN
    RAISE EXCEPTION 'indicator "%" does not exist in maturity framework "%"', indicator, framework USING ERRCODE = '42704';
  END IF;
  IF plugin IS NOT NULL THEN
    proc := plugin::regprocedure;      -- 42883 when there is no such function
    SELECT pr.pronargs, pr.proargtypes[0] AS a0, pr.proretset,
           pg_catalog.pg_get_function_result(pr.oid) AS res INTO p
      FROM pg_catalog.pg_proc pr WHERE pr.oid = proc;
    IF p.pronargs <> 1 OR p.a0 <> 'pg_catalog.int4'::pg_catalog.regtype OR NOT p.proretset
       OR p.res <> 'TABLE(territory_type text, territory_code text, value double precision)' THEN
      RAISE EXCEPTION 'plugin function "%" has the wrong signature', plugin
        USING ERRCODE = '42883',
              DETAIL = pg_catalog.format('It takes %s argument(s) and returns %s.', p.pronargs, p.res),
              HINT = 'A plugin is f(year integer) RETURNS TABLE (territory_type text, territory_code text, value double precision).';
    END IF;
  END IF;
  UPDATE @extschema@.maturity_indicator i SET plugin = proc::pg_catalog.text
   WHERE i.framework = maturity_register_plugin.framework AND i.indicator = maturity_register_plugin.indicator;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_register_plugin(text, text, text) IS
  'makes an SQL function f(year integer) RETURNS TABLE (territory_type text, territory_code text, value double precision) the source of an indicator''s values (NULL to unregister)';

-- Territories loader ------------------------------------------------------------------
CREATE FUNCTION @extschema@.load_territories(communes jsonb, epci jsonb, departements jsonb, regions jsonb)
RETURNS TABLE (territory_type text, territories bigint, population bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  FOREACH territory_type IN ARRAY ARRAY['communes', 'epci', 'departements', 'regions'] LOOP
    IF (CASE territory_type WHEN 'communes' THEN communes WHEN 'epci' THEN epci
          WHEN 'departements' THEN departements ELSE regions END) IS NOT NULL
       AND pg_catalog.jsonb_typeof(CASE territory_type WHEN 'communes' THEN communes WHEN 'epci' THEN epci
          WHEN 'departements' THEN departements ELSE regions END) <> 'array' THEN
      RAISE EXCEPTION 'argument "%" of load_territories must be a JSON array', territory_type
        USING ERRCODE = '22023', HINT = 'Pass the content of data/' || territory_type || '.json of @etalab/decoupage-administratif.';
    END IF;
  END LOOP;
  IF pg_catalog.to_regclass('pg_temp.sr_load_in') IS NULL THEN
    CREATE TEMP TABLE sr_load_in (code text, name text, epci text, dep text, reg text, pop bigint) ON COMMIT DROP;
  END IF;
  -- régions and départements first (communes refer to them)
  IF regions IS NOT NULL THEN
    TRUNCATE pg_temp.sr_load_in;
    INSERT INTO pg_temp.sr_load_in SELECT e->>'code', e->>'nom', NULL, NULL, e->>'code', NULL
      FROM pg_catalog.jsonb_array_elements(regions) e;
    PERFORM @extschema@._territory_merge('region');
  END IF;
  IF departements IS NOT NULL THEN
    TRUNCATE pg_temp.sr_load_in;
    INSERT INTO pg_temp.sr_load_in SELECT e->>'code', e->>'nom', NULL, e->>'code', e->>'region', NULL
      FROM pg_catalog.jsonb_array_elements(departements) e;
    PERFORM @extschema@._territory_merge('departement');
  END IF;
  IF communes IS NOT NULL THEN
    TRUNCATE pg_temp.sr_load_in;
    -- current communes only: delegated and associated communes and municipal
    -- arrondissements are parts of a current commune
    INSERT INTO pg_temp.sr_load_in SELECT e->>'code', e->>'nom', NULL, e->>'departement', e->>'region',
                                  pg_catalog.round((e->>'population')::numeric)::bigint
      FROM pg_catalog.jsonb_array_elements(communes) e
     WHERE coalesce(e->>'type', 'commune-actuelle') = 'commune-actuelle';
    PERFORM @extschema@._territory_merge('commune');
    -- their parts with a code of their own (a part of a commune the files do not
    -- list is left out)
    DELETE FROM @extschema@.commune_part;
    INSERT INTO @extschema@.commune_part (code, name, kind, commune_code)
    SELECT DISTINCT ON (e->>'code') e->>'code', e->>'nom', e->>'type', coalesce(e->>'chefLieu', e->>'commune')
      FROM pg_catalog.jsonb_array_elements(communes) e
      JOIN @extschema@.territory t ON t.type OPERATOR(pg_catalog.=) 'commune'
       AND t.code OPERATOR(pg_catalog.=) coalesce(e->>'chefLieu', e->>'commune')
     WHERE e->>'type' IN ('commune-deleguee', 'commune-associee', 'arrondissement-municipal')
     ORDER BY e->>'code';
    -- former communes absorbed outright (fusion simple): no commune déléguée is left,
    -- only their code in the current commune's anciensCodes (85 of ARCEP's 2018
    -- communes in the 2026 package); a code two communes list (a commune split) is
    -- neither's, and a part listed above keeps its name and kind
    INSERT INTO @extschema@.commune_part (code, name, kind, commune_code)
    SELECT a.code, NULL, 'ancienne-commune', pg_catalog.min(e->>'code')
      FROM pg_catalog.jsonb_array_elements(communes) e
     CROSS JOIN LATERAL pg_catalog.jsonb_array_elements_text(
             CASE WHEN pg_catalog.jsonb_typeof(e->'anciensCodes') = 'array' THEN e->'anciensCodes' ELSE '[]' END) a(code)
      JOIN @extschema@.territory t ON t.type OPERATOR(pg_catalog.=) 'commune' AND t.code OPERATOR(pg_catalog.=) (e->>'code')
     WHERE coalesce(e->>'type', 'commune-actuelle') = 'commune-actuelle'
       AND a.code ~ '^[0-9][0-9AB][0-9]{3}$' AND a.code <> e->>'code'
     GROUP BY a.code HAVING pg_catalog.count(DISTINCT e->>'code') = 1
    ON CONFLICT (code) DO NOTHING;
  END IF;
  IF epci IS NOT NULL THEN
    TRUNCATE pg_temp.sr_load_in;
    INSERT INTO pg_temp.sr_load_in SELECT e->>'code', e->>'nom', e->>'code', NULL, NULL,
           pg_catalog.round(coalesce(e->>'populationMunicipale', e->>'population', e->>'populationTotale')::numeric)::bigint
      FROM pg_catalog.jsonb_array_elements(epci) e;
    PERFORM @extschema@._territory_merge('epci');
    -- (an EPCI's population, and whether it is complete, after its members, below)
    -- members: commune -> EPCI
    UPDATE @extschema@.territory t SET epci_code = NULL WHERE t.type = 'commune' AND t.epci_code IS NOT NULL;
    UPDATE @extschema@.territory t SET epci_code = m.epci
      FROM (SELECT DISTINCT ON (mb->>'code') mb->>'code' AS code, e->>'code' AS epci
              FROM pg_catalog.jsonb_array_elements(epci) e,
                   pg_catalog.jsonb_array_elements(coalesce(e->'membres', '[]')) mb
             ORDER BY mb->>'code', e->>'code') m
     WHERE t.type = 'commune' AND t.code = m.code;
    -- an EPCI's population is the package's figure, complete; without one, the sum of its
    -- members' (below, after every load)
    UPDATE @extschema@.territory t
       SET population = i.pop, population_complete = i.pop IS NOT NULL,
           population_source = CASE WHEN i.pop IS NOT NULL THEN 'package' ELSE 'communes' END
      FROM pg_temp.sr_load_in i
     WHERE t.type = 'epci' AND t.code = i.code;
  END IF;
  -- an EPCI lies in the département and région of most of its population (recomputed by a
  -- load of the communes alone too: their populations decide)
  UPDATE @extschema@.territory t SET departement_code = q.dep, region_code = q.reg
    FROM (SELECT DISTINCT ON (c.epci_code) c.epci_code, c.departement_code AS dep, c.region_code AS reg
            FROM @extschema@.territory c WHERE c.type = 'commune' AND c.epci_code IS NOT NULL
           GROUP BY c.epci_code, c.departement_code, c.region_code
           ORDER BY c.epci_code, pg_catalog.sum(coalesce(c.population, 0)) DESC, c.departement_code) q
   WHERE t.type = 'epci' AND t.code = q.epci_code
     AND (t.departement_code, t.region_code) IS DISTINCT FROM (q.dep, q.reg);
  -- an EPCI without a figure of its own: the sum of its members' known populations (NULL
  -- when none is known), complete when every member has one (as a département's, below); an
  -- EPCI without members has none.  Recomputed by every load, a load of the communes alone
  -- too (before, such a load left the sums of the last EPCI load: stale).  An EPCI with the
  -- package's figure keeps it until the EPCI file is loaded again (the file's own census
  -- figure: in 6.0.0, 1,246 of the 1,255 differ from their members' sum)
  UPDATE @extschema@.territory t
     SET population = s.pop, population_complete = coalesce(s.complete, false)
    FROM @extschema@.territory e
    LEFT JOIN (SELECT c.epci_code, pg_catalog.sum(c.population)::bigint AS pop,
                      pg_catalog.bool_and(c.population IS NOT NULL) AS complete
                 FROM @extschema@.territory c WHERE c.type = 'commune' AND c.epci_code IS NOT NULL
                GROUP BY c.epci_code) s ON s.epci_code = e.code
   WHERE e.type = 'epci' AND e.population_source = 'communes'
     AND t.type = 'epci' AND t.code = e.code;
  -- a commune's population is its own, complete when the package gives one
  UPDATE @extschema@.territory t SET population_complete = t.population IS NOT NULL, population_source = 'package'
   WHERE t.type = 'commune' AND (t.population_complete IS DISTINCT FROM (t.population IS NOT NULL)
                                 OR t.population_source IS DISTINCT FROM 'package');
  -- populations of départements and régions: sums of their communes' known populations
  -- (NULL when none is known), complete when every commune has one: a département with one
  -- commune of unknown population shows the others' sum, population_complete false (the
  -- rule of the roll-ups, docs/maturity.md: what is unknown weighs nothing, and says so)
  UPDATE @extschema@.territory t SET population = s.pop, population_complete = s.complete, population_source = 'communes'
    FROM (SELECT c.departement_code AS code, pg_catalog.sum(c.population)::bigint AS pop,
                 pg_catalog.bool_and(c.population IS NOT NULL) AS complete
            FROM @extschema@.territory c WHERE c.type = 'commune' GROUP BY c.departement_code) s
   WHERE t.type = 'departement' AND t.code = s.code;
  UPDATE @extschema@.territory t SET population = s.pop, population_complete = s.complete, population_source = 'communes'
    FROM (SELECT c.region_code AS code, pg_catalog.sum(c.population)::bigint AS pop,
                 pg_catalog.bool_and(c.population IS NOT NULL) AS complete
            FROM @extschema@.territory c WHERE c.type = 'commune' GROUP BY c.region_code) s
   WHERE t.type = 'region' AND t.code = s.code;
  -- (a département or région without a commune: nothing counted; one whose communes are all
  -- gone since the last load no longer keeps their sum)
  UPDATE @extschema@.territory t SET population_complete = false,
         population = CASE WHEN t.population_source = 'communes' THEN NULL ELSE t.population END
   WHERE t.type IN ('departement', 'region')
     AND (t.population_complete IS NULL OR t.population_source = 'communes')
     AND NOT EXISTS (SELECT 1 FROM @extschema@.territory c WHERE c.type = 'commune'
                      AND (CASE t.type WHEN 'departement' THEN c.departement_code ELSE c.region_code END) = t.code);
  RETURN QUERY SELECT t.type, pg_catalog.count(*), pg_catalog.sum(t.population)::bigint
                 FROM @extschema@.territory t GROUP BY t.type
                ORDER BY pg_catalog.array_position(ARRAY['commune', 'epci', 'departement', 'region'], t.type);
END
$$;
COMMENT ON FUNCTION @extschema@.load_territories(jsonb, jsonb, jsonb, jsonb) IS
  'loads or refreshes the territories from the four JSON files of the npm package @etalab/decoupage-administratif (communes, epci, departements, regions; NULL leaves a level untouched); idempotent; populations of départements and régions are the sums of their communes'' known populations, an EPCI''s the package''s figure (else its members'' sum), recomputed by every load, a load of the communes alone too; population_complete says whether a population counts every commune, population_source whether it is the package''s figure or a sum of communes';

-- Contours of territories from a GeoJSON FeatureCollection (any year's limits:
-- the contours of communes merged since then go to the commune they joined).
CREATE FUNCTION @extschema@.load_territory_contours(contours jsonb, territory_type text DEFAULT 'commune')
RETURNS TABLE (features bigint, territories bigint, merged bigint, unmatched bigint, unmatched_codes text[])
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('contours', contours);
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  ty text := territory_type;
  r record;
  kind text;
  srid int;
  empty boolean;
  msg text;
BEGIN
  IF ty IS NULL OR ty NOT IN ('commune', 'epci', 'departement', 'region') THEN
    RAISE EXCEPTION 'invalid territory type "%"', ty USING ERRCODE = '22023',
      HINT = 'Territory types are commune, epci, departement and region.';
  END IF;
  IF pg_catalog.jsonb_typeof(contours) <> 'object' OR contours->>'type' IS DISTINCT FROM 'FeatureCollection'
     OR pg_catalog.jsonb_typeof(contours->'features') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'argument "contours" of load_territory_contours must be a GeoJSON FeatureCollection'
      USING ERRCODE = '22023', HINT = 'An object {"type": "FeatureCollection", "features": [...]}, each feature with a property "code".';
  END IF;
  -- (geom: the feature's GeoJSON; b: its contour once checked, made valid, in WGS84, as EWKB)
  DROP TABLE IF EXISTS pg_temp.sr_contour_in;
  CREATE TEMP TABLE sr_contour_in (i int PRIMARY KEY, code text, current_code text, geom text, b bytea) ON COMMIT DROP;
  -- every feature with its code, and the code of the territory it belongs to
  -- today: its own, or (communes) the commune a delegated or associated commune
  -- belongs to, or the commune of a municipal arrondissement (commune_today)
  INSERT INTO pg_temp.sr_contour_in
  SELECT f.i, f.code, coalesce(t.code, ct.commune_code), f.geom
    FROM (SELECT x.i::int AS i, x.f->'properties'->>'code' AS code, x.f->>'geometry' AS geom
            FROM pg_catalog.jsonb_array_elements(contours->'features') WITH ORDINALITY x(f, i)) f
    LEFT JOIN @extschema@.territory t ON t.type OPERATOR(pg_catalog.=) ty AND t.code OPERATOR(pg_catalog.=) f.code
    LEFT JOIN @extschema@.commune_today ct ON ty OPERATOR(pg_catalog.=) 'commune' AND ct.code OPERATOR(pg_catalog.=) f.code;
  -- every matched feature read and checked alone, so that an error names it: a
  -- geometry that is missing, not GeoJSON, not a (multi)polygon, in a CRS
  -- spatial_ref_sys lacks, or empty once made valid (it would wipe the territory's
  -- contour); its contour is kept for the union below
  FOR r IN SELECT c.i, c.code, c.geom FROM pg_temp.sr_contour_in c WHERE c.current_code IS NOT NULL ORDER BY c.i LOOP
    IF r.geom IS NULL OR r.geom = 'null' THEN
      RAISE EXCEPTION 'feature % (code %) of the contours has no geometry', r.i, r.code
        USING ERRCODE = '22023', HINT = 'Contours are Polygon or MultiPolygon features.';
    END IF;
    BEGIN
      EXECUTE pg_catalog.format(
        'UPDATE pg_temp.sr_contour_in c
            SET b = CASE WHEN %1$s.ST_SRID(s.x) OPERATOR(pg_catalog.>) 0 THEN %1$s.ST_AsEWKB(
                      %1$s.ST_CollectionExtract(%1$s.ST_MakeValid(%1$s.ST_Transform(s.x, 4326)), 3)) END
           FROM (SELECT %1$s.ST_GeomFromGeoJSON($1) AS x) s
          WHERE c.i OPERATOR(pg_catalog.=) $2
      RETURNING %1$s.GeometryType(s.x), %1$s.ST_SRID(s.x), %1$s.ST_IsEmpty(%1$s.ST_GeomFromEWKB(c.b))', g)
        INTO kind, srid, empty USING r.geom, r.i;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
      RAISE EXCEPTION 'feature % (code %) of the contours is not a valid GeoJSON polygon: %', r.i, r.code, msg
        USING ERRCODE = '22023', HINT = 'Contours are Polygon or MultiPolygon features.';
    END;
    IF kind NOT IN ('POLYGON', 'MULTIPOLYGON') THEN
      RAISE EXCEPTION 'feature % (code %) of the contours is a %, not a polygon', r.i, r.code, pg_catalog.lower(kind)
        USING ERRCODE = '22023', HINT = 'Contours are Polygon or MultiPolygon features.';
    ELSIF srid = 0 THEN
      RAISE EXCEPTION 'feature % (code %) of the contours names a CRS that is not in spatial_ref_sys', r.i, r.code
        USING ERRCODE = '22023', HINT = 'Without "crs", GeoJSON is WGS84 longitude and latitude.';
    ELSIF empty THEN
      RAISE EXCEPTION 'feature % (code %) of the contours is empty', r.i, r.code
        USING ERRCODE = '22023', HINT = 'Leave out a feature without a contour: the territory keeps the contour it has.';
    END IF;
  END LOOP;
  EXECUTE pg_catalog.format(
    'UPDATE @extschema@.territory t SET geom = c.geom
       FROM (SELECT current_code,
                    %1$s.ST_Multi(%1$s.ST_CollectionExtract(%1$s.ST_MakeValid(%1$s.ST_Union(%1$s.ST_GeomFromEWKB(b))),
                      3))::%1$s.geometry(MultiPolygon, 4326) AS geom
               FROM pg_temp.sr_contour_in WHERE current_code IS NOT NULL GROUP BY current_code) c
      WHERE t.type OPERATOR(pg_catalog.=) %2$L AND t.code OPERATOR(pg_catalog.=) c.current_code', g, ty);
  RETURN QUERY
  SELECT pg_catalog.count(*),
         pg_catalog.count(DISTINCT c.current_code),
         pg_catalog.count(*) FILTER (WHERE c.current_code IS DISTINCT FROM c.code AND c.current_code IS NOT NULL),
         pg_catalog.count(*) FILTER (WHERE c.current_code IS NULL),
         coalesce(pg_catalog.array_agg(coalesce(c.code, '(no code)') ORDER BY c.i) FILTER (WHERE c.current_code IS NULL), '{}')
    FROM pg_temp.sr_contour_in c;
  DROP TABLE pg_temp.sr_contour_in;   -- (the next call, maybe of another role, makes its own)
END
$$;
COMMENT ON FUNCTION @extschema@.load_territory_contours(jsonb, text) IS
  'attaches the contours of a GeoJSON FeatureCollection (property code) to smartregion.territory.geom for one territory type; the contours of delegated and associated communes and municipal arrondissements (smartregion.commune_part) are merged into their current commune; returns the features read, the territories given a contour, the contours merged into another code and the codes matching no territory';

CREATE FUNCTION @extschema@._territory_merge(ttype text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  bad text;
BEGIN
  SELECT i.code INTO bad FROM pg_temp.sr_load_in i
   WHERE i.code IS NULL OR i.code !~ '^[0-9A-Z]{2,9}$' OR i.name IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'invalid % entry with code "%"', ttype, coalesce(bad, 'NULL')
      USING ERRCODE = '22023', DETAIL = 'Every entry needs a "code" (2 to 9 digits or capitals) and a "nom".';
  END IF;
  SELECT i.code INTO bad FROM pg_temp.sr_load_in i GROUP BY i.code HAVING pg_catalog.count(*) > 1 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'duplicate % code "%"', ttype, bad USING ERRCODE = '23505';
  END IF;
  -- territories no longer listed are removed (merged communes, dissolved EPCI)
  DELETE FROM @extschema@.territory t
   WHERE t.type = ttype AND NOT EXISTS (SELECT 1 FROM pg_temp.sr_load_in i WHERE i.code = t.code);
  INSERT INTO @extschema@.territory AS t (type, code, name, epci_code, departement_code, region_code, population)
  SELECT ttype, i.code, i.name, CASE WHEN ttype = 'epci' THEN NULL ELSE i.epci END, i.dep, i.reg, i.pop
    FROM pg_temp.sr_load_in i
  ON CONFLICT (type, code) DO UPDATE
     SET name = EXCLUDED.name,
         departement_code = coalesce(EXCLUDED.departement_code, t.departement_code),
         region_code = coalesce(EXCLUDED.region_code, t.region_code),
         -- a commune's or EPCI's figure is the file's, even when it gives none (before, a
         -- commune reloaded without a population kept its old one, said complete)
         population = CASE WHEN ttype IN ('commune', 'epci') THEN EXCLUDED.population
                           ELSE coalesce(EXCLUDED.population, t.population) END;
END
$$;
COMMENT ON FUNCTION @extschema@._territory_merge(text) IS
  'internal: merges the rows of pg_temp.sr_load_in into smartregion.territory for one territory type';

-- Territory resolution -------------------------------------------------------------------
CREATE FUNCTION @extschema@._maturity_resolve(territory_code text, territory_type text)
RETURNS @extschema@.territory
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c text := territory_code;
  ty text := territory_type;
  r @extschema@.territory;
  n int;
BEGIN
  IF c IS NULL THEN
    RAISE EXCEPTION 'territory code must not be NULL' USING ERRCODE = '22004';
  END IF;
  -- 'region:84' form
  IF c ~ '^(commune|epci|departement|region):' THEN
    IF ty IS NOT NULL AND ty <> pg_catalog.split_part(c, ':', 1) THEN
      RAISE EXCEPTION 'territory "%" is not of type "%"', c, ty USING ERRCODE = '22023';
    END IF;
    ty := pg_catalog.split_part(c, ':', 1);
    c := pg_catalog.split_part(c, ':', 2);
  END IF;
  IF ty IS NOT NULL AND ty NOT IN ('commune', 'epci', 'departement', 'region') THEN
    RAISE EXCEPTION 'invalid territory type "%"', ty
      USING ERRCODE = '22023', HINT = 'Territory types are commune, epci, departement and region.';
  END IF;
  SELECT pg_catalog.count(*) INTO n FROM @extschema@.territory t WHERE t.code = c AND (ty IS NULL OR t.type = ty);
  IF n = 0 THEN
    RAISE EXCEPTION 'territory "%" does not exist', territory_code
      USING ERRCODE = '42704', HINT = 'Territories are loaded by smartregion.load_territories(); codes are INSEE codes of communes, départements and régions and SIREN of EPCI.';
  ELSIF n > 1 THEN
    RAISE EXCEPTION 'territory code "%" is ambiguous', territory_code
      USING ERRCODE = '22023', DETAIL = 'Several territory types use this code.',
            HINT = 'Pass territory_type, or write the code as ''region:84'' or ''departement:84''.';
  END IF;
  SELECT * INTO r FROM @extschema@.territory t WHERE t.code = c AND (ty IS NULL OR t.type = ty);
  RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@._maturity_resolve(text, text) IS
  'internal: the territory row of a code (optionally prefixed "type:") and an optional type; raises 42704 when unknown, 22023 when ambiguous';


-- C entry points ------------------------------------------------------------------------
CREATE FUNCTION @extschema@._maturity_eval(
  framework text, year int, normalisation text, aggregation text, missing text,
  hub text, territory_type text, rollup boolean)
RETURNS TABLE (territory_code text, territory_type text, territory_name text, population bigint,
               score double precision, level int, level_label text, axis_scores jsonb,
               coverage double precision, rank int)
AS 'MODULE_PATHNAME', 'sr_fn_maturity_eval'
LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 40000;
COMMENT ON FUNCTION @extschema@._maturity_eval(text, int, text, text, text, text, text, boolean) IS
  'internal: scores every territory (of one type when territory_type is given; parents from their communes when rollup) with the C core';

CREATE FUNCTION @extschema@._maturity_detail(
  framework text, year int, normalisation text, aggregation text, missing text,
  hub text, territory_type text, territory_code text)
RETURNS TABLE (score double precision, level int, level_label text, coverage double precision,
               axis text, indicator text, label text, kind text, raw_value double precision,
               normalised double precision, weight double precision, contribution double precision,
               gain double precision, source text, year int)
AS 'MODULE_PATHNAME', 'sr_fn_maturity_detail'
LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 36;
COMMENT ON FUNCTION @extschema@._maturity_detail(text, int, text, text, text, text, text, text) IS
  'internal: per-indicator detail of one territory''s score (normalisation within its type)';

CREATE FUNCTION @extschema@._maturity_mc(
  framework text, year int, runs int, seed bigint, weight_noise double precision,
  normalisations text[], aggregations text[], missing_methods text[],
  normalisation text, aggregation text, missing text, hub text, territory_type text)
RETURNS TABLE (territory_code text, territory_type text, nominal_score double precision, nominal_rank int,
               median_rank double precision, p05_rank double precision, p95_rank double precision)
AS 'MODULE_PATHNAME', 'sr_fn_maturity_mc'
LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 40000;
COMMENT ON FUNCTION @extschema@._maturity_mc(text, int, int, bigint, double precision, text[], text[], text[], text, text, text, text, text) IS
  'internal: Monte-Carlo rank uncertainty with the C core';

CREATE FUNCTION @extschema@.maturity_radar_chart(
  labels text[], scores double precision[], peers double precision[] DEFAULT NULL,
  title text DEFAULT 'Digital maturity', series_label text DEFAULT 'territory',
  peers_label text DEFAULT 'peers'' median')
RETURNS text
AS 'MODULE_PATHNAME', 'sr_fn_maturity_radar_chart'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.maturity_radar_chart(text[], double precision[], double precision[], text, text, text) IS
  'SVG radar chart of 3 to 64 axis scores on a 0-100 scale (NULL or NaN shown as n/a at 0), with an optional peers series overlaid';

-- Public functions -----------------------------------------------------------------------
CREATE FUNCTION @extschema@.maturity_scores(framework text DEFAULT 'default', year int DEFAULT NULL,
                                            options jsonb DEFAULT '{}')
RETURNS TABLE (territory_code text, territory_type text, territory_name text, score double precision,
               level int, level_label text, axis_scores jsonb, coverage double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_scores
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_scores', options);
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_scores');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_scores',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  RETURN QUERY
  SELECT e.territory_code, e.territory_type, e.territory_name, e.score, e.level, e.level_label, e.axis_scores, e.coverage
    FROM @extschema@._maturity_eval(framework, year, o->>'normalisation', o->>'aggregation', o->>'missing',
                                    o->>'hub', o->>'territory_type', false) e;
  -- nothing loaded is not "no match" (h4, 2026-12-07): after the scoring, which has found the
  -- hub's tables (else its 42P01 says what to create)
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', o->>'territory_type', true);
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_scores(text, int, jsonb) IS
  'digital-maturity score (0-100), level, axis scores and coverage of every territory; options normalisation (goalposts|minmax|zscore|rank), aggregation (arithmetic|geometric), missing (reweight|mean|peer), hub (schema of the value tables), territory_type; a NOTICE when no territory is loaded (no row), or when the hub holds no value or answer the caller reads and the framework no plugin (every score NULL)';

-- whether a hub's maturity_value or maturity_answer holds a row the caller reads (as the caller)
CREATE FUNCTION @extschema@._maturity_hub_has_rows(hub name)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  found_one boolean;
BEGIN
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %1$I.maturity_value) OR EXISTS (SELECT 1 FROM %1$I.maturity_answer)', hub)
    INTO found_one;
  RETURN found_one;
END
$$;
COMMENT ON FUNCTION @extschema@._maturity_hub_has_rows(name) IS
  'internal: whether the hub''s maturity_value or maturity_answer holds a row the caller reads (the maturity readers'' NOTICE of a hub without values, _maturity_nothing_loaded)';

-- the maturity readers' NOTICE when nothing is loaded, one for all of them: a hub without
-- territories answered no row, one without values every score NULL (or no row), and nothing
-- told a user an empty hub from a filter matching nothing (h4, then every reader, 2026-12-07).
-- territories: whether the reader lists territories (a reader of one territory has resolved
-- it already: 42704 when none is loaded); rollup: the reader is maturity_rollup, which
-- scores the territories above the communes only.  Called after the reader's scoring, which
-- has found the hub's tables.  A NOTICE is no error: the reader's rows are returned as before
CREATE FUNCTION @extschema@._maturity_nothing_loaded(framework text, hub text, territory_type text,
                                                     territories boolean, rollup boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF territories AND NOT EXISTS (SELECT 1 FROM @extschema@.territory t
                                  WHERE _maturity_nothing_loaded.territory_type IS NULL
                                     OR t.type OPERATOR(pg_catalog.=) _maturity_nothing_loaded.territory_type) THEN
    -- (no territory, of the type asked for when one is)
    RAISE NOTICE '%', CASE WHEN territory_type IS NULL THEN 'no territory is loaded'
                           ELSE pg_catalog.format('no territory of type "%s" is loaded', territory_type) END
      USING DETAIL = CASE WHEN territory_type IS NULL THEN 'The territories scored are those of smartregion.territory, which holds none.'
                          ELSE 'The territories scored are those of smartregion.territory, which holds none of that type.' END,
            HINT = 'Load them with smartregion.load_territories() (docs/maturity.md, "Data and demo").';
  ELSIF rollup AND territory_type IS NULL
        AND NOT EXISTS (SELECT 1 FROM @extschema@.territory t WHERE t.type OPERATOR(pg_catalog.<>) 'commune') THEN
    -- (the roll-up scores the parents of the communes: with communes only it answers no row,
    -- and said nothing, 2026-12-07; with its option territory_type, the branch above names
    -- the type)
    RAISE NOTICE 'no EPCI, département or région is loaded'
      USING DETAIL = 'The roll-up scores the EPCI, départements and régions of smartregion.territory from their communes; it holds communes only.',
            HINT = 'Load them with smartregion.load_territories() (docs/maturity.md, "Data and demo"), or score the communes themselves with smartregion.maturity_scores(options => ''{"territory_type": "commune"}'').';
  ELSIF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_indicator i
                     WHERE i.framework OPERATOR(pg_catalog.=) _maturity_nothing_loaded.framework AND i.plugin IS NOT NULL)
        AND NOT @extschema@._maturity_hub_has_rows(hub::name) THEN
    RAISE NOTICE 'no indicator value or answer in hub "%"', hub
      USING DETAIL = pg_catalog.format('Every score is NULL: %1$I.maturity_value and %1$I.maturity_answer hold no row the caller reads, and framework "%2$s" has no plugin.',
                                       hub, framework),
            HINT = pg_catalog.format('Load indicator values into %I.maturity_value (docs/maturity.md, "Data and demo").', hub);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._maturity_nothing_loaded(text, text, text, boolean, boolean) IS
  'internal: the maturity readers'' NOTICE when nothing is loaded: no territory (of the type asked for), when the reader lists territories; for maturity_rollup (rollup) without territory_type, no territory but communes; else no value or answer the caller reads in the hub, and no plugin in the framework';

CREATE FUNCTION @extschema@.maturity_rollup(framework text DEFAULT 'default', year int DEFAULT NULL,
                                            options jsonb DEFAULT '{}')
RETURNS TABLE (territory_code text, territory_type text, territory_name text, score double precision,
               level int, level_label text, axis_scores jsonb, coverage double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 1500
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_rollup
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_rollup', options);
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_rollup');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_rollup',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  IF o->>'territory_type' = 'commune' THEN
    RAISE EXCEPTION 'communes cannot be rolled up' USING ERRCODE = '22023',
      HINT = 'The roll-up scores EPCI, départements and régions from their communes.';
  END IF;
  RETURN QUERY
  SELECT e.territory_code, e.territory_type, e.territory_name, e.score, e.level, e.level_label, e.axis_scores, e.coverage
    FROM @extschema@._maturity_eval(framework, year, o->>'normalisation', o->>'aggregation', o->>'missing',
                                    o->>'hub', o->>'territory_type', true) e;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', o->>'territory_type', true, true);   -- (nothing loaded is not "no match"; nor communes only)
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_rollup(text, int, jsonb) IS
  'scores of EPCI, départements and régions computed from their communes'' indicator values (population-weighted mean, mean, min or max as each indicator''s rollup says)';

CREATE FUNCTION @extschema@.maturity_score(territory_code text, framework text DEFAULT 'default',
                                           year int DEFAULT NULL, options jsonb DEFAULT '{}',
                                           territory_type text DEFAULT NULL)
RETURNS TABLE (territory_name text, score double precision, level int, level_label text,
               coverage double precision, axis text, indicator text, label text, kind text,
               raw_value double precision, normalised double precision, weight double precision,
               contribution double precision, gain double precision, source text, value_year int)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 36
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_score
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_score', options);
  t record := @extschema@._maturity_resolve(territory_code, territory_type);
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_score');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_score',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  RETURN QUERY
  SELECT t.name, d.score, d.level, d.level_label, d.coverage, d.axis, d.indicator, d.label, d.kind,
         d.raw_value, d.normalised, d.weight, d.contribution, d.gain, d.source, d.year
    FROM @extschema@._maturity_detail(framework, maturity_score.year, o->>'normalisation', o->>'aggregation',
                                      o->>'missing', o->>'hub', t.type, t.code) d;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', t.type, false);   -- (nothing loaded is not "no match")
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_score(text, text, int, jsonb, text) IS
  'score of one territory with the detail of every indicator: raw value, normalised value (0-100), effective weight, contribution to the score, gain if it reached its upper goalpost, source and year';

-- Inlined into the calling query (as a pinned search_path would prevent, at
-- ~11 us a call): its operators are qualified instead, since an inlined body
-- is parsed with the caller's search_path.
-- in C (the core's rule, sr_mat_population_class): called once per territory
-- by maturity_peers and the trends, where a pinned SQL function, which
-- PostgreSQL cannot inline, would cost ~11 us a row
CREATE FUNCTION @extschema@.maturity_population_class(population bigint)
RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_maturity_population_class'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.maturity_population_class(bigint) IS
  'population class used to choose peers: 0-1999, 2000-9999, 10000-49999, 50000-199999, 200000-999999, 1000000+ (unknown for NULL)';

CREATE FUNCTION @extschema@.maturity_peers(territory_code text, framework text DEFAULT 'default',
                                           year int DEFAULT NULL, options jsonb DEFAULT '{}',
                                           territory_type text DEFAULT NULL)
RETURNS TABLE (axis text, label text, score double precision, peers_median double precision,
               percentile_rank double precision, peers int, population_class text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_peers
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_peers', options);
  t record := @extschema@._maturity_resolve(territory_code, territory_type);
  v_cls text := @extschema@.maturity_population_class(t.population);
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_peers');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_peers',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  RETURN QUERY
  WITH s AS (
    SELECT e.territory_code AS code, e.score, e.axis_scores,
           @extschema@.maturity_population_class(e.population) AS cls
      FROM @extschema@._maturity_eval(framework, maturity_peers.year, o->>'normalisation', o->>'aggregation',
                                      o->>'missing', o->>'hub', t.type, false) e
  ), me AS (SELECT * FROM s WHERE s.code = t.code),
  peer AS (SELECT * FROM s WHERE s.cls = v_cls AND s.code <> t.code),
  axes AS (
    SELECT 0 AS pos, 'overall'::text AS axis, 'Overall score'::text AS label
    UNION ALL
    SELECT a.position, a.axis, a.label FROM @extschema@.maturity_axis a WHERE a.framework = maturity_peers.framework
  ), vals AS (
    SELECT x.pos, x.axis, x.label,
           CASE WHEN x.pos = 0 THEN (SELECT me.score FROM me) ELSE ((SELECT me.axis_scores FROM me)->>x.axis)::float8 END AS mine,
           p.v
      FROM axes x
      LEFT JOIN LATERAL (SELECT CASE WHEN x.pos = 0 THEN peer.score ELSE (peer.axis_scores->>x.axis)::float8 END AS v
                           FROM peer) p ON true
  )
  SELECT v.axis, v.label, pg_catalog.min(v.mine),
         pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY v.v),
         -- (scores within 1e-9 of each other are the same score, as in the ranks:
         -- SR_MAT_RANK_TIE, sr_maturity.h; summed in another order, one score
         -- differs in its last bits)
         CASE WHEN pg_catalog.count(v.v) = 0 OR pg_catalog.min(v.mine) IS NULL THEN NULL
              ELSE (100.0 * (pg_catalog.count(*) FILTER (WHERE v.v < v.mine - 1e-9)
                             + 0.5 * pg_catalog.count(*) FILTER (WHERE pg_catalog.abs(v.v - v.mine) <= 1e-9))
                    / pg_catalog.count(v.v))::float8 END,
         pg_catalog.count(v.v)::int, v_cls
    FROM vals v
   GROUP BY v.pos, v.axis, v.label
   ORDER BY v.pos;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', t.type, false);   -- (nothing loaded is not "no match")
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_peers(text, text, int, jsonb, text) IS
  'a territory''s overall and axis scores against its peers (same type and population class): percentile rank among peers and the peers'' median per axis';

CREATE FUNCTION @extschema@.maturity_uncertainty(framework text DEFAULT 'default', runs int DEFAULT 1000,
                                                 seed int DEFAULT 42, year int DEFAULT NULL,
                                                 options jsonb DEFAULT '{}')
RETURNS TABLE (territory_code text, territory_type text, nominal_score double precision, nominal_rank int,
               median_rank double precision, p05_rank double precision, p95_rank double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_uncertainty
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_uncertainty', options);
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_uncertainty');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_uncertainty',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  IF runs IS NULL OR runs < 1 OR runs > 100000 THEN
    RAISE EXCEPTION 'runs must be between 1 and 100000, got %', runs USING ERRCODE = '22003';
  END IF;
  RETURN QUERY
  SELECT m.* FROM @extschema@._maturity_mc(framework, year, runs, coalesce(seed, 42),
             (o->>'weight_noise')::float8,
             ARRAY(SELECT pg_catalog.jsonb_array_elements_text(o->'normalisations')),
             ARRAY(SELECT pg_catalog.jsonb_array_elements_text(o->'aggregations')),
             ARRAY(SELECT pg_catalog.jsonb_array_elements_text(o->'missing_methods')),
             o->>'normalisation', o->>'aggregation', o->>'missing', o->>'hub', o->>'territory_type') m;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', o->>'territory_type', true);   -- (nothing loaded is not "no match")
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_uncertainty(text, int, int, int, jsonb) IS
  'Monte-Carlo uncertainty of the ranks (within each territory type): weights perturbed by +-weight_noise (0.25), normalisation, aggregation and imputation drawn at random; nominal rank, median rank and 5th-95th percentile ranks; same seed, same result';

CREATE FUNCTION @extschema@.maturity_recommendations(territory_code text, framework text DEFAULT 'default',
                                                     year int DEFAULT NULL, options jsonb DEFAULT '{}',
                                                     territory_type text DEFAULT NULL, top int DEFAULT 3)
RETURNS TABLE (kind text, rank int, axis text, indicator text, label text, value double precision,
               peers_median double precision, gap double precision, gain double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 6
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_recommendations
  -- (the reader)
DECLARE
  o jsonb;
  t record;
BEGIN
  IF top IS NULL OR top < 1 OR top > 100 THEN
    RAISE EXCEPTION 'top must be between 1 and 100, got %', top USING ERRCODE = '22003';
  END IF;
  o := @extschema@._options('maturity_recommendations', options);
  -- (USAGE on the hub, naming this reader, not maturity_peers or maturity_score)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name,
    'maturity_recommendations', 'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');
  -- (maturity_peers checks the hub, the framework and the territory, and says when nothing
  -- is loaded)
  RETURN QUERY
  SELECT 'axis'::text, (pg_catalog.row_number() OVER (ORDER BY p.score - p.peers_median, p.axis))::int,
         p.axis, NULL::text, p.label, p.score, p.peers_median, p.score - p.peers_median, NULL::float8
    FROM @extschema@.maturity_peers(territory_code, framework, year, options, territory_type) p
   WHERE p.axis <> 'overall' AND p.score IS NOT NULL AND p.peers_median IS NOT NULL
   ORDER BY p.score - p.peers_median, p.axis
   LIMIT top;
  -- the indicators' detail, as maturity_score reads it, without calling maturity_score: its
  -- checks have passed in maturity_peers, and its NOTICE when nothing is loaded would be
  -- the second of the call (2026-12-07: said twice before)
  t := @extschema@._maturity_resolve(territory_code, territory_type);
  RETURN QUERY
  SELECT 'indicator'::text, (pg_catalog.row_number() OVER (ORDER BY d.gain DESC, d.indicator))::int,
         d.axis, d.indicator, d.label, d.normalised, NULL::float8, NULL::float8, d.gain
    FROM @extschema@._maturity_detail(framework, maturity_recommendations.year, o->>'normalisation', o->>'aggregation',
                                      o->>'missing', o->>'hub', t.type, t.code) d
   WHERE d.gain > 0
   ORDER BY d.gain DESC, d.indicator
   LIMIT top;
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_recommendations(text, text, int, jsonb, text, int) IS
  'recommendations for a territory: its weakest axes relative to its peers'' median (gap, most negative first) and the indicators whose improvement to the upper goalpost raises the score most (gain in points)';

CREATE FUNCTION @extschema@.maturity_radar_svg(territory_code text, framework text DEFAULT 'default',
                                               year int DEFAULT NULL, options jsonb DEFAULT '{}',
                                               territory_type text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_radar_svg
  -- (the reader)
DECLARE
  -- (the options first: a mistaken hub is named as such, not as an unknown territory)
  o jsonb := @extschema@._options('maturity_radar_svg', options);
  t record := @extschema@._maturity_resolve(territory_code, territory_type);
  cmp int := (o->>'compare_year')::int;
  p record;
  labels text[] := '{}';
  mine float8[] := '{}';
  med float8[] := '{}';
  prev float8[] := '{}';
  overall float8;
  npeers int;
  lvl text;
BEGIN
  -- (USAGE on the hub, naming this reader, not maturity_peers)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_radar_svg', 'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');
  -- one scoring pass: the overall row then one row per axis (and, with
  -- compare_year, the same territory's overall and axis scores that year: its own row of
  -- the scoring, as maturity_peers reads it, not a second maturity_peers call, whose
  -- 'nothing loaded' NOTICE was the second of the call, 2026-12-07, h3)
  FOR p IN SELECT s.*, CASE WHEN s.axis = 'overall' THEN q.score ELSE (q.axis_scores->>s.axis)::float8 END AS before
             FROM @extschema@.maturity_peers(territory_code, framework, year, options - 'compare_year', territory_type) s
             LEFT JOIN (SELECT e.score, e.axis_scores
                          FROM @extschema@._maturity_eval(framework, cmp, o->>'normalisation', o->>'aggregation', o->>'missing',
                                                          o->>'hub', t.type, false) e
                         WHERE cmp IS NOT NULL AND e.territory_code = t.code) q ON true LOOP
    IF p.axis = 'overall' THEN
      overall := p.score;
      npeers := p.peers;
    ELSE
      labels := labels || p.label;
      mine := mine || p.score;
      med := med || p.peers_median;
      prev := prev || p.before;
    END IF;
  END LOOP;
  SELECT l.label INTO lvl FROM @extschema@.maturity_level l
   WHERE l.framework = maturity_radar_svg.framework AND l.min_score <= overall
   ORDER BY l.level DESC LIMIT 1;
  IF cmp IS NOT NULL THEN
    RETURN @extschema@._maturity_radar_overlay(labels, mine, med, prev,
             pg_catalog.format('%s (%s %s): %s/100, %s', t.name, t.type, t.code,
                               coalesce(pg_catalog.round(overall::numeric, 1)::text, 'n/a'), coalesce(lvl, 'no data')),
             pg_catalog.format('%s, %s', t.name, coalesce(year::text, 'latest')),
             pg_catalog.format('median of %s peers (%s, %s inhabitants)', npeers, t.type,
                               @extschema@.maturity_population_class(t.population)),
             pg_catalog.format('%s, %s', t.name, cmp));
  END IF;
  RETURN @extschema@.maturity_radar_chart(labels, mine, med,
           pg_catalog.format('%s (%s %s): %s/100, %s', t.name, t.type, t.code,
                             coalesce(pg_catalog.round(overall::numeric, 1)::text, 'n/a'), coalesce(lvl, 'no data')),
           t.name, pg_catalog.format('median of %s peers (%s, %s inhabitants)', npeers, t.type,
                                     @extschema@.maturity_population_class(t.population)));
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_radar_svg(text, text, int, jsonb, text) IS
  'SVG radar chart of a territory''s axis scores with its peers'' median overlaid, and with the option compare_year the territory''s polygon of that year dotted (valid SVG 1.1 text, to paste into a report)';

-- Catalogue and register of personal data ----------------------------------------
SELECT @extschema@.register_dataset('maturity_value', 'Digital-maturity indicator values',
  'Values of the quantitative digital-maturity indicators per territory and year, with their source.',
  ARRAY['TECH', 'GOVE'], ARRAY['digital maturity', 'indicators', 'FttH'], 'ANNUAL', 'year');
SELECT @extschema@.register_dataset('maturity_answer', 'Digital-maturity self-assessment answers',
  'Answers (1 to 5) of the respondents of self-diagnosis campaigns to the declarative digital-maturity indicators, per territory and year.',
  ARRAY['TECH', 'GOVE'], ARRAY['digital maturity', 'self-assessment', 'survey'], 'ANNUAL', 'year', 'RESTRICTED');
SELECT @extschema@.register_personal_data('maturity_answer', 'respondent', 'subject_id',
  'identification (name or e-mail address of the respondent)', 'respondents of self-diagnosis campaigns',
  'self-assessment of the digital maturity of territories', 'public_task',
  'the platform''s agents (readers and analysts never: the column is withheld from them); the answers are published per territory without their respondent', interval '3 years', 'pseudonymise',
  subject_filter => 'respondent <> ''self''');

SELECT @extschema@.register_service('digital_maturity', '0.1.0',
  'digital-maturity observatory: framework catalog, territories, scores, levels, peers, roll-up, Monte-Carlo uncertainty, recommendations and radar charts',
  ARRAY['load_territories', 'load_territory_contours', 'maturity_scores', 'maturity_score', 'maturity_peers', 'maturity_rollup',
        'maturity_uncertainty', 'maturity_recommendations', 'maturity_radar_svg', 'maturity_radar_chart',
        'maturity_check_framework', 'maturity_copy_framework', 'maturity_register_plugin',
        'maturity_population_class']);
