-- ---------------------------------------------------------------------------
-- Self-diagnosis campaigns and trends (issue 21, maturity family): a question
-- bank per framework, campaigns with invited respondents (tokens stored as
-- hashes), answers saved as drafts and submitted once into maturity_answer,
-- closed campaigns immutable; trends per year, the territories that moved
-- most, and a report in French.  docs/maturity.md "Self-diagnosis campaigns".
-- ---------------------------------------------------------------------------

-- Question bank (versioned with its framework, copied by maturity_copy_framework) ----------
CREATE TABLE @extschema@.maturity_question (
  framework     text NOT NULL,
  indicator     text NOT NULL,
  lang          text NOT NULL DEFAULT 'fr' CONSTRAINT maturity_question_lang_format CHECK (lang ~ '^[a-z]{2}$'),
  question      text NOT NULL,
  answer_labels text[] NOT NULL
                CONSTRAINT maturity_question_five_labels CHECK (pg_catalog.cardinality(answer_labels) = 5
                                                                AND pg_catalog.array_position(answer_labels, NULL) IS NULL),
  help          text,
  PRIMARY KEY (framework, indicator, lang),
  FOREIGN KEY (framework, indicator) REFERENCES @extschema@.maturity_indicator (framework, indicator)
    ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.maturity_question IS
  'question bank of the self-diagnosis: for a declarative indicator of a framework, the question, the five answer labels of its 1-5 scale and a help text, per language; versioned with the framework';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_question',
  'WHERE framework NOT IN (SELECT name FROM smartregion.maturity_framework WHERE builtin)');

CREATE TABLE @extschema@.maturity_label (
  framework text NOT NULL REFERENCES @extschema@.maturity_framework (name) ON UPDATE CASCADE ON DELETE CASCADE,
  kind      text NOT NULL CONSTRAINT maturity_label_kind_check CHECK (kind IN ('axis', 'indicator', 'level')),
  key       text NOT NULL,
  lang      text NOT NULL DEFAULT 'fr' CONSTRAINT maturity_label_lang_format CHECK (lang ~ '^[a-z]{2}$'),
  label     text NOT NULL,
  PRIMARY KEY (framework, kind, key, lang)
);
COMMENT ON TABLE @extschema@.maturity_label IS
  'labels of a framework''s axes, indicators and levels in other languages (the report is in French); copied by maturity_copy_framework';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.maturity_label',
  'WHERE framework NOT IN (SELECT name FROM smartregion.maturity_framework WHERE builtin)');

INSERT INTO @extschema@.maturity_question (framework, indicator, question, answer_labels, help) VALUES
 ('default', 'lab_in_place', 'Votre territoire dispose-t-il d''un laboratoire d''innovation (living lab, tiers-lieu d''innovation, lab d''usages) ?',
  ARRAY['Aucun lab ni projet de lab', 'Un projet de lab est à l''étude', 'Un lab existe mais fonctionne ponctuellement',
        'Un lab fonctionne avec une équipe et un programme', 'Le lab est pérenne, évalué et ouvert aux partenaires'],
  'Un laboratoire d''innovation est un lieu ou un dispositif où élus, agents, habitants et entreprises conçoivent et testent ensemble de nouveaux services.'),
 ('default', 'open_innovation', 'Votre collectivité mène-t-elle des projets avec la recherche, les start-up et les habitants ?',
  ARRAY['Jamais', 'Occasionnellement, sans cadre', 'Quelques partenariats formalisés',
        'Un programme régulier (appels à projets, expérimentations)', 'Une stratégie d''innovation ouverte évaluée chaque année'],
  'Conventions avec des laboratoires, appels à projets, budgets participatifs numériques, expérimentations avec des start-up.'),
 ('default', 'citizen_account', 'Les habitants disposent-ils d''un compte citoyen en ligne et d''une identité numérique (FranceConnect) ?',
  ARRAY['Non', 'Un projet est engagé', 'Un compte existe pour quelques démarches',
        'Un compte unique pour la plupart des démarches, avec FranceConnect', 'Un compte unique pour toutes les démarches, suivi et personnalisé'],
  'Compte permettant de suivre ses démarches et de s''identifier une seule fois.'),
 ('default', 'back_office', 'Les processus internes (courrier, délibérations, paie, marchés) sont-ils dématérialisés ?',
  ARRAY['Presque tout est sur papier', 'Quelques processus sont dématérialisés', 'La moitié des processus environ',
        'La plupart des processus, avec parapheur et archivage électroniques', 'Tous les processus, de bout en bout'],
  'Gestion électronique du courrier et des documents, parapheur électronique, actes transmis au contrôle de légalité par voie électronique.'),
 ('default', 'open_data_policy', 'Votre collectivité ouvre-t-elle ses données par défaut ?',
  ARRAY['Aucune donnée publiée', 'Quelques jeux publiés au cas par cas', 'Une politique d''ouverture adoptée',
        'Publication régulière sur un portail, données mises à jour', 'Ouverture par défaut, données de référence et réutilisations suivies'],
  'Depuis la loi pour une République numérique (2016), les collectivités de plus de 3 500 habitants et 50 agents ouvrent leurs données par défaut.'),
 ('default', 'data_governance', 'Une gouvernance de la donnée est-elle en place (administrateur des données, inventaire) ?',
  ARRAY['Non', 'En réflexion', 'Un référent désigné',
        'Un administrateur des données et un inventaire tenu à jour', 'Une gouvernance complète : comité, inventaire, qualité, RGPD'],
  'Administrateur général des données, cartographie des données, délégué à la protection des données (RGPD).'),
 ('default', 'infrastructure_plan', 'Votre territoire s''est-il doté d''un plan pour les infrastructures numériques (fibre, mobile, réseaux publics) ?',
  ARRAY['Aucun plan', 'Un diagnostic est en cours', 'Un plan adopté, peu suivi',
        'Un plan suivi avec ses opérateurs et son schéma directeur (SDTAN)', 'Un plan suivi, évalué et mis à jour, toutes infrastructures comprises'],
  'Schéma directeur territorial d''aménagement numérique (SDTAN), suivi du déploiement FttH et de la couverture mobile.'),
 ('default', 'urban_data_platform', 'Disposez-vous d''une plateforme de données urbaines ou d''hypervision ?',
  ARRAY['Non', 'Un projet est à l''étude', 'Un pilote sur un domaine (éclairage, déchets...)',
        'Une plateforme couvrant plusieurs services urbains', 'Une plateforme pilotant l''ensemble des services, ouverte aux partenaires'],
  'Plateforme qui rassemble en temps réel les données des capteurs et des services urbains.'),
 ('default', 'smart_city_strategy', 'Votre collectivité a-t-elle une stratégie « territoire intelligent » et une gouvernance pour la porter ?',
  ARRAY['Non', 'En réflexion', 'Une stratégie écrite, sans moyens dédiés',
        'Une stratégie adoptée, un pilote et un budget', 'Une stratégie évaluée, révisée et partagée avec les habitants'],
  'Feuille de route adoptée par l''assemblée, élu et chef de projet désignés, indicateurs de suivi.'),
 ('default', 'resident_app', 'Les habitants disposent-ils d''un portail ou d''une application pour les services du territoire ?',
  ARRAY['Non', 'Un site d''information seulement', 'Un portail avec quelques services',
        'Un portail ou une application avec la plupart des services', 'Un guichet unique multicanal, conçu avec les usagers'],
  'Signalements, réservations, paiements, inscriptions, information en temps réel.'),
 ('default', 'inclusion_plan', 'Votre territoire a-t-il un plan d''inclusion numérique ?',
  ARRAY['Non', 'Des actions ponctuelles', 'Un plan adopté, peu suivi',
        'Un plan suivi avec des lieux de médiation et des conseillers numériques', 'Un plan évalué, coordonné avec tous les acteurs du territoire'],
  'Lieux de médiation, conseillers numériques, pass numériques, accompagnement des publics fragiles.'),
 ('default', 'business_programme', 'Votre territoire accompagne-t-il la transition numérique des entreprises ?',
  ARRAY['Non', 'Des actions ponctuelles', 'Un programme avec quelques partenaires',
        'Un programme suivi avec les chambres consulaires et la Région', 'Un programme évalué, avec diagnostic et financement des projets'],
  'Diagnostics numériques, ateliers, chèques numériques, accompagnement des commerces et de l''artisanat.'),
 ('default', 'digital_economy_strategy', 'Votre territoire a-t-il une stratégie de développement de l''économie numérique ?',
  ARRAY['Non', 'En réflexion', 'Une stratégie écrite, sans moyens dédiés',
        'Une stratégie suivie (incubateurs, tiers-lieux, foncier dédié)', 'Une stratégie évaluée, inscrite dans la stratégie économique régionale'],
  'Accueil des entreprises du numérique, incubateurs et accélérateurs, tiers-lieux, formation.');

INSERT INTO @extschema@.maturity_label (framework, kind, key, label) VALUES
 ('default', 'axis', 'innovation_lab', 'Laboratoire d''innovation'),
 ('default', 'axis', 'e_administration', 'Administration numérique'),
 ('default', 'axis', 'open_data', 'Données ouvertes'),
 ('default', 'axis', 'infrastructure', 'Infrastructures numériques'),
 ('default', 'axis', 'smart_city', 'Projets de territoire intelligent'),
 ('default', 'axis', 'services_residents', 'Services aux habitants'),
 ('default', 'axis', 'inclusion', 'Inclusion numérique'),
 ('default', 'axis', 'business_support', 'Accompagnement des entreprises'),
 ('default', 'axis', 'digital_economy', 'Économie numérique'),
 ('default', 'level', '1', 'balbutiant'), ('default', 'level', '2', 'émergent'), ('default', 'level', '3', 'structuré'),
 ('default', 'level', '4', 'maîtrisé'), ('default', 'level', '5', 'optimisé'),
 ('default', 'indicator', 'lab_in_place', 'Laboratoire d''innovation en place (autodiagnostic)'),
 ('default', 'indicator', 'tiers_lieux_per_100k', 'Tiers-lieux pour 100 000 habitants'),
 ('default', 'indicator', 'lab_projects_per_100k', 'Projets d''innovation pour 100 000 habitants'),
 ('default', 'indicator', 'open_innovation', 'Partenariats avec la recherche, les start-up et les habitants (autodiagnostic)'),
 ('default', 'indicator', 'online_procedures_share', 'Démarches administratives en ligne'),
 ('default', 'indicator', 'e_invoicing_share', 'Factures fournisseurs traitées électroniquement'),
 ('default', 'indicator', 'citizen_account', 'Compte citoyen et identité numérique (autodiagnostic)'),
 ('default', 'indicator', 'back_office', 'Dématérialisation des processus internes (autodiagnostic)'),
 ('default', 'indicator', 'open_datasets_per_10k', 'Jeux de données ouverts pour 10 000 habitants'),
 ('default', 'indicator', 'open_data_policy', 'Ouverture des données par défaut (autodiagnostic)'),
 ('default', 'indicator', 'data_governance', 'Gouvernance de la donnée (autodiagnostic)'),
 ('default', 'indicator', 'api_share', 'Jeux de données disponibles par API'),
 ('default', 'indicator', 'ftth_coverage', 'Locaux raccordables à la fibre (ARCEP)'),
 ('default', 'indicator', 'mobile_4g_coverage', 'Population couverte en 4G par tous les opérateurs'),
 ('default', 'indicator', 'public_wifi_per_10k', 'Points Wi-Fi publics pour 10 000 habitants'),
 ('default', 'indicator', 'infrastructure_plan', 'Plan des infrastructures numériques (autodiagnostic)'),
 ('default', 'indicator', 'smart_projects_per_100k', 'Projets de territoire intelligent pour 100 000 habitants'),
 ('default', 'indicator', 'connected_lighting_share', 'Points d''éclairage public connectés'),
 ('default', 'indicator', 'urban_data_platform', 'Plateforme de données urbaines (autodiagnostic)'),
 ('default', 'indicator', 'smart_city_strategy', 'Stratégie de territoire intelligent (autodiagnostic)'),
 ('default', 'indicator', 'online_services', 'Services en ligne proposés aux habitants'),
 ('default', 'indicator', 'online_payment_share', 'Services locaux payables en ligne'),
 ('default', 'indicator', 'resident_app', 'Portail ou application des habitants (autodiagnostic)'),
 ('default', 'indicator', 'user_satisfaction', 'Satisfaction envers les services en ligne'),
 ('default', 'indicator', 'mediation_points_per_10k', 'Lieux de médiation numérique pour 10 000 habitants'),
 ('default', 'indicator', 'digital_fragility', 'Fragilité numérique (population exposée, plus bas est meilleur)'),
 ('default', 'indicator', 'advisers_per_10k', 'Conseillers numériques pour 10 000 habitants'),
 ('default', 'indicator', 'inclusion_plan', 'Plan d''inclusion numérique (autodiagnostic)'),
 ('default', 'indicator', 'smes_supported_per_1k', 'PME accompagnées pour 1 000 établissements'),
 ('default', 'indicator', 'business_programme', 'Programme de transition numérique des entreprises (autodiagnostic)'),
 ('default', 'indicator', 'incubators_per_100k', 'Incubateurs et accélérateurs pour 100 000 habitants'),
 ('default', 'indicator', 'business_ftth_share', 'Locaux d''entreprises raccordables à la fibre'),
 ('default', 'indicator', 'ict_establishments_share', 'Établissements du numérique (NAF 58-63)'),
 ('default', 'indicator', 'ict_jobs_share', 'Emplois du numérique'),
 ('default', 'indicator', 'startups_per_100k', 'Start-up du numérique pour 100 000 habitants'),
 ('default', 'indicator', 'digital_economy_strategy', 'Stratégie d''économie numérique (autodiagnostic)');

-- Hub tables: campaigns, respondents, answers ---------------------------------------------
SELECT @extschema@.register_hub_table('campaign', 'self_diagnosis', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.campaign (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    framework         text NOT NULL,
    framework_version text,
    year              int NOT NULL CONSTRAINT campaign_year_range CHECK (year BETWEEN 1900 AND 2200),
    title             text NOT NULL,
    opens_on          date NOT NULL,
    closes_on         date NOT NULL,
    closed_at         timestamptz,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    territory_code    text,
    territory_type    text,
    CONSTRAINT campaign_dates_check CHECK (opens_on <= closes_on));
  CREATE OR REPLACE TRIGGER sr_campaign_check BEFORE INSERT OR UPDATE OR DELETE ON %1$I.campaign
    FOR EACH ROW EXECUTE FUNCTION @extschema@._campaign_check();
  CREATE OR REPLACE TRIGGER sr_campaign_no_truncate BEFORE TRUNCATE ON %1$I.campaign
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_no_truncate(
      'TRUNCATE skips the rules that keep closed campaigns, submitted respondents and their answers.',
      'DELETE the rows instead: the campaigns'' rules decide which may go.');
  -- a hub made before infinite dates were refused (22008) may hold such rows: every
  -- change of them but the repair of their dates is refused, so say which to repair
  DO $do$
  DECLARE
    v_ids text;
  BEGIN
    SELECT pg_catalog.string_agg(c.id::pg_catalog.text, ', ' ORDER BY c.id) INTO v_ids FROM %1$I.campaign c
     WHERE NOT (pg_catalog.isfinite(c.opens_on) AND pg_catalog.isfinite(c.closes_on));
    IF v_ids IS NOT NULL THEN
      RAISE WARNING 'campaigns of %%.campaign with an infinite opens_on or closes_on: %%', %1$L, v_ids
        USING DETAIL = 'They were stored before infinite dates were refused (22008); every change of these rows but the repair of their dates is refused.',
              HINT = pg_catalog.format('Give them days of the calendar, changing nothing else: UPDATE %%I.campaign SET opens_on = ..., closes_on = ... WHERE id = ...; a closing date before today keeps a campaign closed.', %1$L);
    END IF;
  END
  $do$
$ddl$, 62);

SELECT @extschema@.register_hub_table('campaign_respondent', 'self_diagnosis', pg_catalog.replace($ddl$
  CREATE TABLE IF NOT EXISTS %1$I.campaign_respondent (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id    bigint NOT NULL REFERENCES %1$I.campaign (id),
    territory_type text NOT NULL CONSTRAINT campaign_respondent_type_check
                   CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code text NOT NULL,
    role           text NOT NULL,
    token_hash     bytea NOT NULL CONSTRAINT campaign_respondent_token_hash UNIQUE
                   CONSTRAINT campaign_respondent_token_sha256 CHECK (pg_catalog.octet_length(token_hash) = 32),
    invited_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    started_at     timestamptz,
    submitted_at   timestamptz,
    visibility     @extschema@.visibility NOT NULL DEFAULT 'restricted',
    CONSTRAINT campaign_respondent_once UNIQUE (campaign_id, territory_type, territory_code, role));
  -- the data subjects' requests find a respondent by its role (a name, an e-mail, or a
  -- function with its territory: subject_export, subject_erase; docs/governance.md,
  -- requests at scale), which the unique key, led by the campaign, does not
  CREATE INDEX IF NOT EXISTS campaign_respondent_role_idx ON %1$I.campaign_respondent (role);
  CREATE OR REPLACE TRIGGER sr_campaign_respondent_check BEFORE INSERT OR UPDATE OR DELETE ON %1$I.campaign_respondent
    FOR EACH ROW EXECUTE FUNCTION @extschema@._campaign_respondent_check();
  CREATE OR REPLACE TRIGGER sr_campaign_no_truncate BEFORE TRUNCATE ON %1$I.campaign_respondent
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_no_truncate(
      'TRUNCATE skips the rules that keep closed campaigns, submitted respondents and their answers.',
      'DELETE the rows instead: the campaigns'' rules decide which may go.');
  CREATE OR REPLACE TRIGGER sr_campaign_respondent_submit AFTER UPDATE OF submitted_at ON %1$I.campaign_respondent
    FOR EACH ROW WHEN (OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL)
    EXECUTE FUNCTION @extschema@._campaign_submitted();
  -- (a hub created before respondents were restricted rows gets the default too)
  ALTER TABLE %1$I.campaign_respondent ALTER COLUMN visibility SET DEFAULT 'restricted';
  -- a campaign's respondents are not deleted with it (a hub made before had ON DELETE
  -- CASCADE): they and their answers are their territories' rows, which the cascade,
  -- run as the table's owner, deletes without row-level security (docs/security.md)
  DO $fk$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                 JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) k.conrelid
                 JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                WHERE n.nspname OPERATOR(pg_catalog.=) %1$L AND c.relname OPERATOR(pg_catalog.=) 'campaign_respondent'
                  AND k.conname OPERATOR(pg_catalog.=) 'campaign_respondent_campaign_id_fkey'
                  AND k.confdeltype OPERATOR(pg_catalog.<>) 'a') THEN
      ALTER TABLE %1$I.campaign_respondent DROP CONSTRAINT campaign_respondent_campaign_id_fkey,
        ADD CONSTRAINT campaign_respondent_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES %1$I.campaign (id);
    END IF;
  END $fk$;
  -- respondents are restricted rows (their check trigger keeps them so): under
  -- territory security their own territory's agents read and write them, and
  -- the organiser of the campaign (campaign.territory_code) reads and invites
  -- them (docs/maturity.md, "Who sees what")
  DROP POLICY IF EXISTS sr_campaign_organiser_read ON %1$I.campaign_respondent;
  CREATE POLICY sr_campaign_organiser_read ON %1$I.campaign_respondent FOR SELECT
    USING (campaign_id OPERATOR(pg_catalog.=) ANY (
      SELECT c.id FROM %1$I.campaign c WHERE @organiser@));
  -- ... and only the organiser invites: a territory's agents cannot add their own
  -- territory to a campaign that did not invite it (its answers would then be the
  -- campaign's); the platform administrator may
  DROP POLICY IF EXISTS sr_campaign_invited_only ON %1$I.campaign_respondent;
  CREATE POLICY sr_campaign_invited_only ON %1$I.campaign_respondent AS RESTRICTIVE FOR INSERT
    WITH CHECK (campaign_id OPERATOR(pg_catalog.=) ANY (
      SELECT c.id FROM %1$I.campaign c WHERE @organiser@)
      -- (who may act as the group: a NOINHERIT member adds no respondent it could not add
      -- after SET ROLE; 16+'s SET FALSE grant not counted: r-noinherit-set)
      OR (SELECT @extschema@._caller_may_act_as('smartregion_platform_admin')));
  DROP POLICY IF EXISTS sr_campaign_organiser_invite ON %1$I.campaign_respondent;
  CREATE POLICY sr_campaign_organiser_invite ON %1$I.campaign_respondent FOR INSERT
    WITH CHECK (campaign_id OPERATOR(pg_catalog.=) ANY (
      SELECT c.id FROM %1$I.campaign c WHERE @organiser@))
$ddl$, '@organiser@',
  -- (the campaigns the caller's territories organise: the territory policies' own test)
  @extschema@._territory_mine_sql(NULL, 'c.territory_type', 'c.territory_code')), 63);

SELECT @extschema@.register_hub_table('campaign_answer', 'self_diagnosis', pg_catalog.replace($ddl$
  CREATE TABLE IF NOT EXISTS %1$I.campaign_answer (
    respondent_id  bigint NOT NULL REFERENCES %1$I.campaign_respondent (id) ON DELETE CASCADE,
    indicator      text NOT NULL,
    answer         smallint NOT NULL CONSTRAINT campaign_answer_range CHECK (answer BETWEEN 1 AND 5),
    comment        text,
    status         text NOT NULL DEFAULT 'draft'
                   CONSTRAINT campaign_answer_status_check CHECK (status IN ('draft', 'submitted')),
    saved_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    submitted_at   timestamptz,
    territory_code text,
    territory_type text,
    visibility     @extschema@.visibility NOT NULL DEFAULT 'restricted',
    PRIMARY KEY (respondent_id, indicator));
  CREATE OR REPLACE TRIGGER sr_campaign_answer_check BEFORE INSERT OR UPDATE OR DELETE ON %1$I.campaign_answer
    FOR EACH ROW EXECUTE FUNCTION @extschema@._campaign_answer_check();
  CREATE OR REPLACE TRIGGER sr_campaign_no_truncate BEFORE TRUNCATE ON %1$I.campaign_answer
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_no_truncate(
      'TRUNCATE skips the rules that keep closed campaigns, submitted respondents and their answers.',
      'DELETE the rows instead: the campaigns'' rules decide which may go.');
  ALTER TABLE %1$I.campaign_answer ALTER COLUMN visibility SET DEFAULT 'restricted';
  -- answers (drafts and comments) are restricted rows too: their respondent's
  -- territory reads them; the organiser reads the submitted ones
  DROP POLICY IF EXISTS sr_campaign_organiser_read ON %1$I.campaign_answer;
  CREATE POLICY sr_campaign_organiser_read ON %1$I.campaign_answer FOR SELECT
    USING (status OPERATOR(pg_catalog.=) 'submitted' AND respondent_id OPERATOR(pg_catalog.=) ANY (
      SELECT r.id FROM %1$I.campaign_respondent r JOIN %1$I.campaign c ON c.id OPERATOR(pg_catalog.=) r.campaign_id
       WHERE @organiser@));
  -- a hub made before the types: its answers take their respondent's type
  ALTER TABLE %1$I.campaign_answer ADD COLUMN IF NOT EXISTS territory_type text;
  SELECT @extschema@._territory_type_inherit(%1$L, 'campaign_answer', 'campaign_respondent', 'respondent_id')
$ddl$, '@organiser@',
  -- (the campaigns the caller's territories organise: the territory policies' own test)
  @extschema@._territory_mine_sql(NULL, 'c.territory_type', 'c.territory_code')), 64);

-- Rules (triggers) ----------------------------------------------------------------------
-- A campaign's dates are days in Paris: CURRENT_DATE is the day of the session's TimeZone,
-- which the caller sets, so that a respondent under 'Pacific/Pago_Pago' (UTC-11) saved and
-- submitted for eleven hours after the campaign had closed for everyone else, and one under
-- 'Pacific/Kiritimati' (UTC+14) found it closed fourteen hours early
CREATE FUNCTION @extschema@._campaign_today()
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (pg_catalog.now() AT TIME ZONE 'Europe/Paris')::date $$;
COMMENT ON FUNCTION @extschema@._campaign_today() IS
  'internal: today in Paris, the day against which the dates of campaigns (opens_on, closes_on) are read, whatever the session''s TimeZone';

CREATE FUNCTION @extschema@._campaign_state(closed_at timestamptz, opens_on date, closes_on date)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN closed_at IS NOT NULL OR @extschema@._campaign_today() > closes_on THEN 'closed'
              WHEN @extschema@._campaign_today() < opens_on THEN 'upcoming' ELSE 'open' END
$$;
COMMENT ON FUNCTION @extschema@._campaign_state(timestamptz, date, date) IS
  'internal: state of a campaign today: upcoming (before opens_on), open, closed (closed_at set or closes_on passed)';

CREATE FUNCTION @extschema@._campaign_refuse_closed(id bigint, what text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'campaign % is closed', id USING ERRCODE = '55000',
    DETAIL = pg_catalog.format('A closed campaign, its respondents and its answers cannot change (%s refused).', what),
    HINT = 'Its organiser may reopen it with smartregion.campaign_reopen() while nobody has submitted; start a new campaign for a new round of answers.';
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_refuse_closed(bigint, text) IS
  'internal: the error of a change to a closed campaign (55000)';

CREATE FUNCTION @extschema@._campaign_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  invited boolean;
BEGIN
  -- an untyped campaign of a hub made before the types may be typed, closed or
  -- not, invited or not: it keeps its code, and its organiser is then one
  -- territory instead of the two of an ambiguous code
  IF TG_OP = 'UPDATE' AND OLD.territory_type IS NULL AND NEW.territory_type IS NOT NULL
     AND @extschema@._territory_typing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
    RETURN NEW;
  END IF;
  -- a campaign opens and closes on days of the calendar: 'infinity' was accepted (a
  -- campaign never closing by date, 'upcoming' for ever with '-infinity' reversed),
  -- where thd_deadline requires a finite date; 22008 as for the infinite dates of the
  -- zones' queries. Before the reopening below, which an infinite closes_on passed
  IF TG_OP <> 'DELETE' AND NOT (pg_catalog.isfinite(NEW.opens_on) AND pg_catalog.isfinite(NEW.closes_on)) THEN
    RAISE EXCEPTION 'column "%" of a campaign cannot be infinite',
      CASE WHEN pg_catalog.isfinite(NEW.opens_on) THEN 'closes_on' ELSE 'opens_on' END USING ERRCODE = '22008',
      DETAIL = 'A campaign opens and closes on days of the calendar.',
      HINT = 'Give the last day of answers; it can be moved later with UPDATE ... SET closes_on, or by campaign_reopen once closed.';
  END IF;
  -- the repair of a row stored before infinite dates were refused: its infinite dates made
  -- finite, nothing else changed (its finite date kept). A closing date of '-infinity' (or
  -- an opening one, with a closing date past) made such a row closed, and a closed row
  -- refused every change, the repair too: the row could never be fixed. A repair that
  -- opens it again follows the reopening's rule (nobody has submitted)
  IF TG_OP = 'UPDATE' AND NOT (pg_catalog.isfinite(OLD.opens_on) AND pg_catalog.isfinite(OLD.closes_on))
     AND (NEW.opens_on OPERATOR(pg_catalog.=) OLD.opens_on OR NOT pg_catalog.isfinite(OLD.opens_on))
     AND (NEW.closes_on OPERATOR(pg_catalog.=) OLD.closes_on OR NOT pg_catalog.isfinite(OLD.closes_on))
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'opens_on' OPERATOR(pg_catalog.-) 'closes_on')
         OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'opens_on' OPERATOR(pg_catalog.-) 'closes_on') THEN
    IF @extschema@._campaign_state(OLD.closed_at, OLD.opens_on, OLD.closes_on) = 'closed'
       AND @extschema@._campaign_state(NEW.closed_at, NEW.opens_on, NEW.closes_on) <> 'closed' THEN
      EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.campaign_respondent r WHERE r.campaign_id OPERATOR(pg_catalog.=) $1 '
                                'AND r.submitted_at IS NOT NULL)', TG_TABLE_SCHEMA) INTO invited USING OLD.id;
      IF invited THEN
        RAISE EXCEPTION 'cannot reopen campaign %: its results are published', OLD.id USING ERRCODE = '55000',
          DETAIL = pg_catalog.format('Its infinite dates made it closed; repaired with a closing date today or later it would reopen, and its submitted answers are in maturity_answer for %s.', OLD.year),
          HINT = 'Give it a closing date before today: the repair then keeps it closed.';
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  -- reopening (campaign_reopen, or the same UPDATE written by hand): a closed campaign's
  -- closed_at cleared and its closing date set to today or later, nothing else changed;
  -- the drafts become drafts of an open campaign again. Only while nobody has submitted:
  -- submitted answers are published (maturity_answer, the campaign's year), and answers
  -- submitted after reopening would change the results the campaign closed with
  IF TG_OP = 'UPDATE' AND @extschema@._campaign_state(OLD.closed_at, OLD.opens_on, OLD.closes_on) = 'closed'
     AND NEW.closed_at IS NULL AND NEW.closes_on >= @extschema@._campaign_today()
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'closed_at' OPERATOR(pg_catalog.-) 'closes_on')
         OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'closed_at' OPERATOR(pg_catalog.-) 'closes_on') THEN
    -- (run as the caller: the organiser's agents, who alone besides the platform
    -- administrator update a campaign, read every respondent of theirs)
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.campaign_respondent r WHERE r.campaign_id OPERATOR(pg_catalog.=) $1 '
                              'AND r.submitted_at IS NOT NULL)', TG_TABLE_SCHEMA) INTO invited USING OLD.id;
    IF invited THEN
      RAISE EXCEPTION 'cannot reopen campaign %: its results are published', OLD.id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('Its submitted answers are in maturity_answer for %s; answers submitted after reopening would change the results it closed with.', OLD.year),
        HINT = 'Start a new campaign for the respondents who did not submit: its answers are published as its own.';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP <> 'INSERT' AND @extschema@._campaign_state(OLD.closed_at, OLD.opens_on, OLD.closes_on) = 'closed' THEN
    PERFORM @extschema@._campaign_refuse_closed(OLD.id, pg_catalog.lower(TG_OP));
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- its respondents are rows of the territories it invited, with their drafts: a
    -- delete would take them (the foreign key refuses it too, whoever may see them).
    -- Said without their number or territories; the organiser reads them anyway
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.campaign_respondent r WHERE r.campaign_id OPERATOR(pg_catalog.=) $1)',
                              TG_TABLE_SCHEMA) INTO invited USING OLD.id;
    IF invited THEN
      RAISE EXCEPTION 'cannot delete campaign %: it has respondents', OLD.id USING ERRCODE = '23503',
        DETAIL = 'Its respondents and their answers are rows of the territories it invited; deleting the campaign would delete them.',
        HINT = 'Close it instead (smartregion.campaign_close); the platform administrator may remove respondents that have not submitted.';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT f.version INTO NEW.framework_version FROM @extschema@.maturity_framework f WHERE f.name = NEW.framework;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'maturity framework "%" does not exist', NEW.framework USING ERRCODE = '42704';
    END IF;
    NEW.created_at := pg_catalog.now();
  ELSIF NEW.framework IS DISTINCT FROM OLD.framework OR NEW.year IS DISTINCT FROM OLD.year
        OR NEW.framework_version IS DISTINCT FROM OLD.framework_version OR NEW.id IS DISTINCT FROM OLD.id THEN
    RAISE EXCEPTION 'cannot change the framework or year of campaign %', OLD.id USING ERRCODE = '55000',
      DETAIL = 'Answers already given refer to them.';
  ELSIF NEW.territory_code IS DISTINCT FROM OLD.territory_code OR NEW.territory_type IS DISTINCT FROM OLD.territory_type THEN
    -- the organiser reads its respondents and their submitted comments: once a
    -- territory is invited, another organiser would read what was written for this one
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.campaign_respondent r WHERE r.campaign_id OPERATOR(pg_catalog.=) $1)',
                              TG_TABLE_SCHEMA) INTO invited USING OLD.id;
    IF invited THEN
      RAISE EXCEPTION 'cannot change the organiser of campaign %', OLD.id USING ERRCODE = '55000',
        DETAIL = 'Its respondents were invited by this organiser, which reads their submitted answers.';
    END IF;
  END IF;
  -- respondents of other territories read their campaign: it is never a restricted row
  IF NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.<>) 'public' THEN
    RAISE EXCEPTION 'a campaign is a public row' USING ERRCODE = '22023',
      DETAIL = 'The respondents it invites, in other territories, read its title, dates and questions.',
      HINT = 'Its respondents and answers are restricted rows.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_check() IS
  'internal: trigger of <hub>.campaign: a closed campaign cannot change or be deleted (but for its reopening: closed_at cleared, closes_on today or later, nothing else, and only while no respondent has submitted), nor a campaign with respondents (23503), framework and year are fixed, the organiser (territory_code) too once a respondent is invited, the framework must exist (its version is recorded), its dates are finite (22008; a row stored before with an infinite date takes the repair of its dates, nothing else changed, even closed), a campaign is a public row';

CREATE FUNCTION @extschema@._campaign_of(hub name, campaign_id bigint)
RETURNS record
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c record;
  args_given boolean;
BEGIN
  -- (the hub first, then the campaign in it: so the shared NULL check of campaign_id,
  -- docs/governance.md#null-arguments, in an assignment after _hub_require, not in the
  -- declaration; until 2026-12-07 its own message, 'campaign_id cannot be NULL')
  PERFORM @extschema@._hub_require(hub, 'campaign');
  args_given := @extschema@._require_args('campaign_id', campaign_id);
  EXECUTE pg_catalog.format('SELECT c.*, @extschema@._campaign_state(c.closed_at, c.opens_on, c.closes_on) AS state '
                            'FROM %I.campaign c WHERE c.id OPERATOR(pg_catalog.=) $1', hub) INTO c USING campaign_id;
  IF c IS NULL THEN
    RAISE EXCEPTION 'campaign % does not exist', campaign_id USING ERRCODE = '42704';
  END IF;
  RETURN c;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_of(name, bigint) IS
  'internal: a campaign row of a hub with its state; the hub checked first (_hub_require: 22004, 42P01), then 22004 parameter "campaign_id" cannot be NULL, 42704 when it does not exist';

CREATE FUNCTION @extschema@._campaign_respondent_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  c record := @extschema@._campaign_of(TG_TABLE_SCHEMA, r.campaign_id);
BEGIN
  -- the role pseudonymised by the erasure of personal data (subject_erase, purge_expired:
  -- the role is registered as identifying its respondent), nothing else, even once
  -- submitted or closed.  Only within _erase_rows, which names the column in the
  -- transaction's setting smartregion_erasure.column for the time of its UPDATE, and only
  -- for a role that may run those functions (any role can set the setting), as the
  -- append-only history's actor (_tl_history_append_only)
  IF TG_OP = 'UPDATE'
     AND (pg_catalog.has_function_privilege('@extschema@.subject_erase(pg_catalog.text, pg_catalog.name, pg_catalog.text, pg_catalog.text)', 'EXECUTE')
          OR pg_catalog.has_function_privilege('@extschema@.purge_expired(pg_catalog.name)', 'EXECUTE'))
     AND pg_catalog.current_setting('smartregion_erasure.column', true)
         OPERATOR(pg_catalog.=) pg_catalog.format('%I.%I.role', TG_TABLE_SCHEMA, TG_TABLE_NAME)
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'role') OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'role')
     -- (a pseudonym that verifies replacing a value that does not, a writer's look-alike included)
     AND @extschema@._pseudonym_verifies(NEW.role, TG_TABLE_SCHEMA) AND NOT @extschema@._pseudonym_verifies(OLD.role, TG_TABLE_SCHEMA) THEN
    RETURN NEW;
  END IF;
  IF c.state = 'closed' THEN
    PERFORM @extschema@._campaign_refuse_closed(c.id, pg_catalog.lower(TG_OP) || ' of a respondent');
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.submitted_at IS NOT NULL THEN
      RAISE EXCEPTION 'respondent % has submitted and cannot be removed', OLD.id USING ERRCODE = '55000';
    END IF;
    RETURN OLD;
  END IF;
  -- a respondent (territory, role, token hash, progress) is never a public row
  NEW.visibility := 'restricted';
  IF TG_OP = 'INSERT' THEN
    NEW.invited_at := pg_catalog.now();
    NEW.started_at := NULL;
    NEW.submitted_at := NULL;
    RETURN NEW;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id
     OR NEW.token_hash IS DISTINCT FROM OLD.token_hash OR NEW.territory_code IS DISTINCT FROM OLD.territory_code
     OR NEW.territory_type IS DISTINCT FROM OLD.territory_type OR NEW.invited_at IS DISTINCT FROM OLD.invited_at THEN
    RAISE EXCEPTION 'cannot change the campaign, territory, token or invitation of respondent %', OLD.id
      USING ERRCODE = '55000', HINT = 'Invite a new respondent instead.';
  END IF;
  IF OLD.submitted_at IS NOT NULL AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
    RAISE EXCEPTION 'respondent % has already submitted', OLD.id USING ERRCODE = '55000',
      DETAIL = 'Answers are submitted once.';
  END IF;
  IF NEW.submitted_at IS NOT NULL AND OLD.submitted_at IS NULL THEN
    IF c.state <> 'open' THEN
      RAISE EXCEPTION 'campaign % is not open', c.id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('It opens on %s.', pg_catalog.to_char(c.opens_on, 'YYYY-MM-DD'));
    END IF;
    NEW.submitted_at := pg_catalog.now();
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_respondent_check() IS
  'internal: trigger of <hub>.campaign_respondent: nothing changes in a closed campaign, token and territory are fixed, a submission is made once, a respondent is always a restricted row; its role is pseudonymised by the erasure of personal data only, closed or submitted too';

CREATE FUNCTION @extschema@._campaign_answer_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  r record;
  c record;
BEGIN
  -- a comment cleared, and nothing else (the register's retention, purge_expired, or
  -- the respondent's territory taking back what it wrote): allowed even once
  -- submitted or closed; the answer itself stays
  IF TG_OP = 'UPDATE' AND OLD.comment IS NOT NULL AND NEW.comment IS NULL
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'comment') OPERATOR(pg_catalog.=)
         (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'comment') THEN
    RETURN NEW;
  END IF;
  -- an untyped answer of a hub made before the types takes its respondent's
  -- type (create_hub does it), nothing else: submitted or not, campaign closed or not
  IF TG_OP = 'UPDATE' AND OLD.territory_type IS NULL AND NEW.territory_type IS NOT NULL
     AND @extschema@._territory_typing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
    EXECUTE pg_catalog.format('SELECT r.* FROM %I.campaign_respondent r WHERE r.id OPERATOR(pg_catalog.=) $1', TG_TABLE_SCHEMA)
      INTO r USING OLD.respondent_id;
    IF r.territory_type OPERATOR(pg_catalog.=) NEW.territory_type THEN
      RETURN NEW;
    END IF;
  END IF;
  EXECUTE pg_catalog.format('SELECT r.* FROM %I.campaign_respondent r WHERE r.id OPERATOR(pg_catalog.=) $1', TG_TABLE_SCHEMA)
    INTO r USING a.respondent_id;
  IF r IS NULL THEN
    IF TG_OP = 'DELETE' THEN
      -- the respondent is being deleted (cascade): its checks have run
      RETURN OLD;
    END IF;
    -- no such respondent, or one of another territory, which the caller does not see:
    -- the same error, before the keys are checked (they would tell which exist)
    RAISE EXCEPTION 'respondent % does not exist', a.respondent_id USING ERRCODE = '23503',
      HINT = 'Answers are saved with smartregion.campaign_save(token, ...).';
  END IF;
  c := @extschema@._campaign_of(TG_TABLE_SCHEMA, r.campaign_id);
  IF c.state = 'closed' THEN
    PERFORM @extschema@._campaign_refuse_closed(c.id, pg_catalog.lower(TG_OP) || ' of an answer');
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.respondent_id IS DISTINCT FROM OLD.respondent_id OR NEW.indicator IS DISTINCT FROM OLD.indicator) THEN
    RAISE EXCEPTION 'cannot move an answer to another respondent or indicator' USING ERRCODE = '55000';
  END IF;
  IF (CASE WHEN TG_OP = 'DELETE' THEN OLD.status ELSE OLD.status END) = 'submitted' AND TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'the answer of respondent % to "%" is submitted and cannot change', a.respondent_id, a.indicator
      USING ERRCODE = '55000', DETAIL = 'Answers are submitted once.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  -- an answer (a draft, a comment) is never a public row: what a campaign
  -- publishes is the submitted answers copied to maturity_answer
  NEW.visibility := 'restricted';
  IF NEW.status = 'submitted' THEN
    -- only the submission of the respondent (campaign_submit) submits answers:
    -- an UPDATE of its saved answers, never a new one (which would skip the
    -- checks below and never reach maturity_answer)
    IF TG_OP = 'INSERT' OR r.submitted_at IS NULL THEN
      RAISE EXCEPTION 'answers are submitted by submitting the respondent' USING ERRCODE = '55000',
        HINT = 'Call smartregion.campaign_submit(token).';
    END IF;
    NEW.submitted_at := r.submitted_at;
    NEW.territory_code := r.territory_code;
    NEW.territory_type := r.territory_type;
    RETURN NEW;
  END IF;
  IF r.submitted_at IS NOT NULL THEN
    RAISE EXCEPTION 'respondent % has already submitted', r.id USING ERRCODE = '55000', DETAIL = 'Answers are submitted once.';
  END IF;
  IF c.state = 'upcoming' THEN
    RAISE EXCEPTION 'campaign % opens on %', c.id, pg_catalog.to_char(c.opens_on, 'YYYY-MM-DD') USING ERRCODE = '55000';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.maturity_indicator i
                  WHERE i.framework = c.framework AND i.indicator = NEW.indicator AND i.kind = 'declarative') THEN
    RAISE EXCEPTION 'indicator "%" is not a question of framework "%"', NEW.indicator, c.framework
      USING ERRCODE = '42704', HINT = 'The questions are the declarative indicators of the campaign''s framework.';
  END IF;
  NEW.saved_at := pg_catalog.now();
  NEW.submitted_at := NULL;
  NEW.territory_code := r.territory_code;
  NEW.territory_type := r.territory_type;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_answer_check() IS
  'internal: trigger of <hub>.campaign_answer: drafts only while the campaign is open and the respondent has not submitted, questions of the framework only, submitted answers and closed campaigns immutable but for clearing a comment, an answer always a restricted row';

CREATE FUNCTION @extschema@._campaign_submitted()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c record := @extschema@._campaign_of(TG_TABLE_SCHEMA, NEW.campaign_id);
BEGIN
  EXECUTE pg_catalog.format('UPDATE %I.campaign_answer a SET status = ''submitted'' '
                            'WHERE a.respondent_id OPERATOR(pg_catalog.=) $1', TG_TABLE_SCHEMA) USING NEW.id;
  -- submitted answers feed the observatory
  EXECUTE pg_catalog.format(
    'INSERT INTO %1$I.maturity_answer AS m (indicator, territory_type, territory_code, year, respondent, answer, source) '
    'SELECT a.indicator, $2, $3, $4, $5, a.answer, $6 FROM %1$I.campaign_answer a WHERE a.respondent_id OPERATOR(pg_catalog.=) $1 '
    'ON CONFLICT (indicator, territory_type, territory_code, year, respondent) DO UPDATE SET answer = EXCLUDED.answer, source = EXCLUDED.source',
    TG_TABLE_SCHEMA)
    USING NEW.id, NEW.territory_type, NEW.territory_code, c.year,
          -- (the respondent's id, not its role: the role names a person in a small commune, or
          -- is their name or e-mail, and it is a column of a restricted row of the respondent's
          -- territory, which other territories' agents do not read; copied here it was read by
          -- every agent on the published row, and no erasure found the copy: tenancy red team
          -- of 2026-12-07, h2, extension/tests/pgtap/tenancy_redteam.sql)
          pg_catalog.format('campaign %s, respondent %s', c.id, NEW.id),
          pg_catalog.format('self-diagnosis campaign %s "%s" (%s %s)', c.id, c.title, c.framework, c.framework_version);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_submitted() IS
  'internal: trigger run once when a respondent submits: its drafts become submitted and are written to <hub>.maturity_answer';

-- Respondents' API ------------------------------------------------------------------------
CREATE FUNCTION @extschema@._campaign_token_hash(token text)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')) $$;
COMMENT ON FUNCTION @extschema@._campaign_token_hash(text) IS
  'internal: SHA-256 of an invitation token, the only form in which tokens are stored';

CREATE FUNCTION @extschema@.campaign_invite(campaign_id bigint, territory_code text, role text,
                                            hub name DEFAULT 'hub', territory_type text DEFAULT NULL)
RETURNS TABLE (respondent_id bigint, token text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (first: before the declarations below read the hub as the caller; _hub_code_guard)
  guarded boolean := @extschema@._hub_code_guard(hub, 'campaign_invite', true);
  -- (the hub and its campaign, then the territory: a mistaken hub is named as such, 22004 or
  -- 42P01, not reported as an unknown territory, as it was until 2026-12-07)
  c record := @extschema@._campaign_of(hub, campaign_id);
  t @extschema@.territory := @extschema@._maturity_resolve(territory_code, territory_type);
BEGIN
  IF role IS NULL OR pg_catalog.btrim(role) = '' THEN
    RAISE EXCEPTION 'a respondent needs a role' USING ERRCODE = '22023',
      HINT = 'For example ''maire'', ''DGS'' or ''chargé de mission numérique''.';
  END IF;
  -- 244 random bits (two version-4 UUIDs from the server's strong random source)
  token := pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '');
  EXECUTE pg_catalog.format('INSERT INTO %I.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash) '
                            'VALUES ($1, $2, $3, $4, $5) RETURNING id', hub)
    INTO respondent_id USING c.id, t.type, t.code, role, @extschema@._campaign_token_hash(token);
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_invite(bigint, text, text, name, text) IS
  'invites a respondent of a territory (with a role) to a campaign; returns its id and its invitation token, shown this once: only its SHA-256 is stored';

CREATE FUNCTION @extschema@._campaign_respondent(token text, hub name)
RETURNS record
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (the token first, then the hub: the shared NULL check, docs/governance.md#null-arguments;
  -- until 2026-12-07 its own message, 'token cannot be NULL')
  args_given boolean := @extschema@._require_args('token', token);
  r record;
BEGIN
  PERFORM @extschema@._hub_require(hub, 'campaign_respondent');
  EXECUTE pg_catalog.format('SELECT r.* FROM %I.campaign_respondent r WHERE r.token_hash OPERATOR(pg_catalog.=) $1', hub)
    INTO r USING @extschema@._campaign_token_hash(token);
  IF r IS NULL THEN
    RAISE EXCEPTION 'invalid invitation token' USING ERRCODE = '28000';
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@._campaign_respondent(text, name) IS
  'internal: the respondent holding an invitation token (22004 parameter "token" cannot be NULL, then the hub: _hub_require; 28000 when none does)';

CREATE FUNCTION @extschema@.campaign_questionnaire(token text, hub name DEFAULT 'hub', lang text DEFAULT 'fr')
RETURNS TABLE (campaign_id bigint, campaign text, territory_code text, role text, question_no int, axis text,
               axis_label text, indicator text, question text, answer_labels text[], help text,
               answer smallint, comment text, status text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000 ROWS 13
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage campaign_questionnaire
  -- (the reader)
DECLARE
  -- (first: before the declarations below read the hub as the caller; who controls the
  -- hub's code, review of hub guards 2026-12-07, h12)
  guarded boolean := @extschema@._hub_read_guard(hub, 'campaign_questionnaire');
  r record := @extschema@._campaign_respondent(token, hub);
  c record := @extschema@._campaign_of(hub, r.campaign_id);
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT $1::bigint, $2::text, $3::text, $4::text,
           (pg_catalog.row_number() OVER (ORDER BY x.position, i.position, i.indicator))::int,
           x.axis, coalesce(la.label, x.label), i.indicator, coalesce(q.question, i.label), q.answer_labels, q.help,
           a.answer, a.comment, coalesce(a.status, 'unanswered')
      FROM @extschema@.maturity_indicator i
      JOIN @extschema@.maturity_axis x ON x.framework OPERATOR(pg_catalog.=) i.framework AND x.axis OPERATOR(pg_catalog.=) i.axis
      LEFT JOIN @extschema@.maturity_question q ON q.framework OPERATOR(pg_catalog.=) i.framework
            AND q.indicator OPERATOR(pg_catalog.=) i.indicator AND q.lang OPERATOR(pg_catalog.=) $7
      LEFT JOIN @extschema@.maturity_label la ON la.framework OPERATOR(pg_catalog.=) i.framework AND la.kind OPERATOR(pg_catalog.=) 'axis'
            AND la.key OPERATOR(pg_catalog.=) i.axis AND la.lang OPERATOR(pg_catalog.=) $7
      LEFT JOIN %I.campaign_answer a ON a.respondent_id OPERATOR(pg_catalog.=) $5 AND a.indicator OPERATOR(pg_catalog.=) i.indicator
     WHERE i.framework OPERATOR(pg_catalog.=) $6 AND i.kind OPERATOR(pg_catalog.=) 'declarative'
     ORDER BY x.position, i.position, i.indicator$q$, hub)
    USING c.id, c.title, r.territory_code, r.role, r.id, c.framework, lang;
END;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_questionnaire(text, name, text) IS
  'the questionnaire of an invitation token: every question of the campaign''s framework with its five answer labels, help text and the respondent''s answer so far (draft, submitted or unanswered)';

CREATE FUNCTION @extschema@.campaign_save(token text, indicator text, answer int, comment text DEFAULT NULL,
                                          hub name DEFAULT 'hub')
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (first: before the declarations below read the hub as the caller; _hub_code_guard)
  guarded boolean := @extschema@._hub_code_guard(hub, 'campaign_save', true);
  r record := @extschema@._campaign_respondent(token, hub);
BEGIN
  IF answer IS NULL THEN
    -- clearing a draft
    EXECUTE pg_catalog.format('DELETE FROM %I.campaign_answer a WHERE a.respondent_id OPERATOR(pg_catalog.=) $1 '
                              'AND a.indicator OPERATOR(pg_catalog.=) $2', hub) USING r.id, indicator;
    RETURN;
  END IF;
  IF answer < 1 OR answer > 5 THEN
    RAISE EXCEPTION 'answer must be between 1 and 5, got %', answer USING ERRCODE = '22003';
  END IF;
  EXECUTE pg_catalog.format('INSERT INTO %I.campaign_answer AS a (respondent_id, indicator, answer, comment) VALUES ($1, $2, $3, $4) '
                            'ON CONFLICT (respondent_id, indicator) DO UPDATE SET answer = EXCLUDED.answer, comment = EXCLUDED.comment', hub)
    USING r.id, indicator, answer, comment;
  IF r.started_at IS NULL THEN
    EXECUTE pg_catalog.format('UPDATE %I.campaign_respondent r SET started_at = pg_catalog.now() WHERE r.id OPERATOR(pg_catalog.=) $1', hub)
      USING r.id;
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_save(text, text, int, text, name) IS
  'saves (or with a NULL answer clears) the draft answer 1-5 of an invitation token''s respondent to one question, while the campaign is open and before submission';

CREATE FUNCTION @extschema@.campaign_submit(token text, hub name DEFAULT 'hub')
RETURNS int
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (first: before the declarations below read the hub as the caller; _hub_code_guard)
  guarded boolean := @extschema@._hub_code_guard(hub, 'campaign_submit', true);
  r record := @extschema@._campaign_respondent(token, hub);
  n int;
BEGIN
  IF r.submitted_at IS NOT NULL THEN
    RAISE EXCEPTION 'respondent % has already submitted', r.id USING ERRCODE = '55000', DETAIL = 'Answers are submitted once.';
  END IF;
  EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %I.campaign_answer a WHERE a.respondent_id OPERATOR(pg_catalog.=) $1', hub)
    INTO n USING r.id;
  IF n = 0 THEN
    RAISE EXCEPTION 'respondent % has no answer to submit', r.id USING ERRCODE = '55000',
      HINT = 'Save answers with smartregion.campaign_save() first.';
  END IF;
  EXECUTE pg_catalog.format('UPDATE %I.campaign_respondent r SET submitted_at = pg_catalog.now() WHERE r.id OPERATOR(pg_catalog.=) $1', hub)
    USING r.id;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_submit(text, name) IS
  'submits, once, the draft answers of an invitation token''s respondent: they become immutable and are written to <hub>.maturity_answer for the campaign''s year; returns their number';

CREATE FUNCTION @extschema@.campaign_close(campaign_id bigint, hub name DEFAULT 'hub')
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (first: before the declarations below read the hub as the caller; _hub_code_guard)
  guarded boolean := @extschema@._hub_code_guard(hub, 'campaign_close', true);
  c record := @extschema@._campaign_of(hub, campaign_id);
  n bigint;
BEGIN
  IF c.state = 'closed' THEN
    PERFORM @extschema@._campaign_refuse_closed(c.id, 'closing again');
  END IF;
  EXECUTE pg_catalog.format('UPDATE %I.campaign c SET closed_at = pg_catalog.now() WHERE c.id OPERATOR(pg_catalog.=) $1', hub)
    USING c.id;
  GET DIAGNOSTICS n = ROW_COUNT;
  -- every territory reads a campaign (a public row), only its organiser's agents and the
  -- platform administrator update it: anyone else's UPDATE changed nothing
  IF n = 0 THEN
    RAISE EXCEPTION 'permission denied to close campaign %', c.id USING ERRCODE = '42501',
      DETAIL = pg_catalog.format('Only the agents of its organiser (%s %s) and the platform administrator may close it.',
                                 coalesce(c.territory_type, 'territory'), c.territory_code);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_close(bigint, name) IS
  'closes a campaign before its closing date: from then on it, its respondents and its answers cannot change (drafts not submitted are never published unless the organiser reopens it: campaign_reopen); 42501 for a caller who is not its organiser';

CREATE FUNCTION @extschema@.campaign_reopen(campaign_id bigint, closes_on date, hub name DEFAULT 'hub')
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (first: before the declarations below read the hub as the caller; _hub_code_guard)
  guarded boolean := @extschema@._hub_code_guard(hub, 'campaign_reopen', true);
  c record := @extschema@._campaign_of(hub, campaign_id);
  n bigint;
BEGIN
  IF c.state <> 'closed' THEN
    RAISE EXCEPTION 'campaign % is not closed', c.id USING ERRCODE = '55000',
      HINT = 'Change the closing date of an open campaign with UPDATE ... SET closes_on.';
  END IF;
  IF NOT pg_catalog.isfinite(closes_on) THEN
    RAISE EXCEPTION 'parameter "closes_on" cannot be infinite' USING ERRCODE = '22008',
      DETAIL = 'A reopened campaign closes on a day of the calendar, today or later.';
  END IF;
  IF closes_on IS NULL OR closes_on < @extschema@._campaign_today() OR closes_on < c.opens_on THEN
    RAISE EXCEPTION 'invalid closing date % for reopening campaign %',
      coalesce(pg_catalog.to_char(closes_on, 'YYYY-MM-DD'), 'NULL'), c.id
      USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('A reopened campaign closes today or later, and not before it opens (%s).',
                                       pg_catalog.to_char(c.opens_on, 'YYYY-MM-DD'));
  END IF;
  EXECUTE pg_catalog.format('UPDATE %I.campaign c SET closed_at = NULL, closes_on = $2 WHERE c.id OPERATOR(pg_catalog.=) $1', hub)
    USING c.id, closes_on;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'permission denied to reopen campaign %', c.id USING ERRCODE = '42501',
      DETAIL = pg_catalog.format('Only the agents of its organiser (%s %s) and the platform administrator may reopen it.',
                                 coalesce(c.territory_type, 'territory'), c.territory_code);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_reopen(bigint, date, name) IS
  'reopens a closed campaign that no respondent submitted to, until closes_on (today or later): the drafts its respondents had not submitted can be saved and submitted again; 55000 once a respondent has submitted (its results are published), 42501 for a caller who is not its organiser';

CREATE FUNCTION @extschema@.campaign_progress(hub name DEFAULT 'hub')
RETURNS TABLE (campaign_id bigint, title text, framework text, year int, state text, opens_on date, closes_on date,
               invited int, started int, submitted int, submitted_share double precision,
               territories_invited int, territories_submitted int, answers_submitted int)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage campaign_progress
  PERFORM @extschema@._hub_require(hub, 'campaign');
  PERFORM @extschema@._hub_read_guard(hub, 'campaign_progress');   -- (who controls the hub's code; C: other callers return at once)
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT c.id, c.title, c.framework, c.year, @extschema@._campaign_state(c.closed_at, c.opens_on, c.closes_on),
           c.opens_on, c.closes_on,
           pg_catalog.count(r.id)::int,
           pg_catalog.count(r.id) FILTER (WHERE r.started_at IS NOT NULL OR r.submitted_at IS NOT NULL)::int,
           pg_catalog.count(r.id) FILTER (WHERE r.submitted_at IS NOT NULL)::int,
           (pg_catalog.count(r.id) FILTER (WHERE r.submitted_at IS NOT NULL))::float8 / NULLIF(pg_catalog.count(r.id), 0),
           -- (the row of a campaign without respondents is (NULL, NULL), which count() counts:
           -- such a campaign had 1 territory invited)
           pg_catalog.count(DISTINCT (r.territory_type, r.territory_code)) FILTER (WHERE r.id IS NOT NULL)::int,
           pg_catalog.count(DISTINCT (r.territory_type, r.territory_code)) FILTER (WHERE r.submitted_at IS NOT NULL)::int,
           coalesce(pg_catalog.sum(s.answers), 0)::int
      FROM %1$I.campaign c LEFT JOIN %1$I.campaign_respondent r ON r.campaign_id OPERATOR(pg_catalog.=) c.id
      -- the submitted answers read once, counted by respondent (one row each, so the counts
      -- above are unchanged), then joined: until 2026-12-07 a subquery per respondent probed
      -- campaign_answer 16,000 times for 16,000 respondents, and its cost (no statistics:
      -- restricted rows) crossed jit_above_cost (docs/performance-maturity.md)
      LEFT JOIN (SELECT a.respondent_id, pg_catalog.count(*) AS answers FROM %1$I.campaign_answer a
                  WHERE a.status OPERATOR(pg_catalog.=) 'submitted' GROUP BY a.respondent_id) s
             ON s.respondent_id OPERATOR(pg_catalog.=) r.id
     GROUP BY c.id ORDER BY c.year, c.id$q$, hub);
END
$$;
COMMENT ON FUNCTION @extschema@.campaign_progress(name) IS
  'progress of every campaign of a hub: state, respondents invited, started (a draft saved) and submitted, share submitted, territories invited and submitted, answers submitted';

-- Trends --------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._maturity_years(hub text, ttype text, tcode text, framework text)
RETURNS int[]
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ys int[];
  -- the territory's code, and a commune's parts (former communes, arrondissements)
  codes text[] := ARRAY[tcode] OPERATOR(pg_catalog.||) ARRAY(
    SELECT ct.code FROM @extschema@.commune_today ct
     WHERE ttype OPERATOR(pg_catalog.=) 'commune' AND ct.commune_code OPERATOR(pg_catalog.=) tcode
       AND ct.code OPERATOR(pg_catalog.<>) tcode);
BEGIN
  PERFORM @extschema@._hub_require(hub, 'maturity_value');
  -- only the rows a score of the framework reads: values of its quantitative indicators,
  -- answers to its declarative ones, neither for an indicator computed by a plugin (its rows
  -- are ignored); the rows of another framework's indicators made years of their own, scored
  -- with the same values as the year before. A commune's rows include those of its parts
  -- (former communes, arrondissements: smartregion.commune_today), their values only for an
  -- indicator the commune has no value of its own of, as the scores read them.
  -- Each code is looked up alone, in a subquery it cannot be taken out of (OFFSET 0), its
  -- territory_code an index condition of every plan: joined to a list of codes, the planner of
  -- a hub table without statistics (a table with personal data under territory security keeps
  -- none: _hub_table_no_statistics) read all the answers of the framework's indicators (the
  -- demo's 426,000, 0.3-2.4 s a call) and hashed them against the list (until 2026-12-07);
  -- given the list as an array, it still read them all for a commune with parts (Lyon)
  EXECUTE pg_catalog.format(
    'SELECT pg_catalog.array_agg(DISTINCT q.y ORDER BY q.y) FROM pg_catalog.unnest($4) k(code), LATERAL ('
    'SELECT v.year AS y FROM %1$I.maturity_value v '
    'JOIN @extschema@.maturity_indicator i ON i.indicator OPERATOR(pg_catalog.=) v.indicator '
    'AND i.framework OPERATOR(pg_catalog.=) $3 AND i.kind OPERATOR(pg_catalog.=) ''quantitative'' AND i.plugin IS NULL '
    'WHERE v.territory_type OPERATOR(pg_catalog.=) $1 AND v.territory_code OPERATOR(pg_catalog.=) k.code '
    'AND (k.code OPERATOR(pg_catalog.=) $2 OR NOT EXISTS ('
    '  SELECT 1 FROM %1$I.maturity_value o WHERE o.indicator OPERATOR(pg_catalog.=) v.indicator '
    '  AND o.territory_type OPERATOR(pg_catalog.=) $1 AND o.territory_code OPERATOR(pg_catalog.=) $2)) UNION ALL '
    'SELECT a.year FROM %1$I.maturity_answer a '
    'JOIN @extschema@.maturity_indicator i ON i.indicator OPERATOR(pg_catalog.=) a.indicator '
    'AND i.framework OPERATOR(pg_catalog.=) $3 AND i.kind OPERATOR(pg_catalog.=) ''declarative'' AND i.plugin IS NULL '
    'WHERE a.territory_type OPERATOR(pg_catalog.=) $1 AND a.territory_code OPERATOR(pg_catalog.=) k.code '
    'OFFSET 0) q', hub)
    INTO ys USING ttype, tcode, framework, codes;
  RETURN coalesce(ys, '{}');
END
$$;
COMMENT ON FUNCTION @extschema@._maturity_years(text, text, text, text) IS
  'internal: the years in which a territory has values or answers in a hub that a framework''s scores read (its quantitative indicators'' values, its declarative indicators'' answers, none of a plugin indicator; a commune''s with those of its parts, as the scores read them)';

CREATE FUNCTION @extschema@.maturity_trend(territory_code text, framework text DEFAULT 'default',
                                           options jsonb DEFAULT '{}', territory_type text DEFAULT NULL)
RETURNS TABLE (year int, axis text, label text, score double precision, level int, level_label text,
               rank int, ranked int, change_previous double precision, change_total double precision,
               peers_median double precision, peers int)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 50
SET search_path = pg_catalog, pg_temp
-- the scoring queries are estimated at 40,000 rows a call: JIT would compile them for
-- ~0.6 s each, far more than they run
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_trend
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_trend', options);
  t record := @extschema@._maturity_resolve(territory_code, territory_type);
  cls text := @extschema@.maturity_population_class(t.population);
  y int;
  r record;
  prev jsonb := '{}';
  first jsonb := '{}';
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_trend');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_trend',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  -- reversed years gave no row, where maturity_movers raises 22023
  IF (o->>'from_year')::int > (o->>'to_year')::int THEN
    RAISE EXCEPTION 'option "from_year" must not be after option "to_year", got % and %',
      o->>'from_year', o->>'to_year' USING ERRCODE = '22023';
  END IF;
  FOREACH y IN ARRAY @extschema@._maturity_years(o->>'hub', t.type, t.code, framework) LOOP
    CONTINUE WHEN y < coalesce((o->>'from_year')::int, y) OR y > coalesce((o->>'to_year')::int, y);
    -- every territory of the type scored with the values known in year y
    FOR r IN
      WITH s AS (
        SELECT e.territory_code AS code, e.score AS sc, e.level AS lv, e.level_label AS ll, e.axis_scores, e.rank AS rk,
               @extschema@.maturity_population_class(e.population) AS c
          FROM @extschema@._maturity_eval(framework, y, o->>'normalisation', o->>'aggregation', o->>'missing',
                                          o->>'hub', t.type, false) e),
      me AS (SELECT * FROM s WHERE s.code = t.code),
      axes AS (SELECT 0 AS pos, 'overall'::text AS ax, 'Overall score'::text AS lab
               UNION ALL SELECT a.position, a.axis, a.label FROM @extschema@.maturity_axis a
                          WHERE a.framework = maturity_trend.framework)
      SELECT x.pos, x.ax, x.lab,
             CASE WHEN x.pos = 0 THEN me.sc ELSE (me.axis_scores->>x.ax)::float8 END AS v,
             me.lv, me.ll, me.rk,
             (SELECT pg_catalog.count(*) FROM s WHERE s.sc IS NOT NULL)::int AS nranked,
             (SELECT pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY
                       CASE WHEN x.pos = 0 THEN p.sc ELSE (p.axis_scores->>x.ax)::float8 END)
                FROM s p WHERE p.c = cls AND p.code <> t.code) AS med,
             (SELECT pg_catalog.count(CASE WHEN x.pos = 0 THEN p.sc ELSE (p.axis_scores->>x.ax)::float8 END)
                FROM s p WHERE p.c = cls AND p.code <> t.code)::int AS npeers
        FROM axes x LEFT JOIN me ON true
       ORDER BY x.pos
    LOOP
      year := y; axis := r.ax; label := r.lab; score := r.v;
      level := CASE WHEN r.pos = 0 THEN r.lv END;
      level_label := CASE WHEN r.pos = 0 THEN r.ll END;
      rank := CASE WHEN r.pos = 0 THEN r.rk END;
      ranked := CASE WHEN r.pos = 0 THEN r.nranked END;
      change_previous := r.v - (prev->>r.ax)::float8;
      change_total := r.v - (first->>r.ax)::float8;
      peers_median := r.med; peers := r.npeers;
      IF r.v IS NOT NULL THEN
        prev := prev || pg_catalog.jsonb_build_object(r.ax, r.v);
        IF NOT first ? r.ax THEN
          first := first || pg_catalog.jsonb_build_object(r.ax, r.v);
        END IF;
      END IF;
      RETURN NEXT;
    END LOOP;
  END LOOP;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', t.type, false);   -- (nothing loaded is not "no match")
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_trend(text, text, jsonb, text) IS
  'a territory''s trend: for every year in which it has values or answers, its overall score, level and rank among its type, each axis score, the change since the previous year with data and since the first, and the peers'' median of the same year';

CREATE FUNCTION @extschema@.maturity_movers(from_year int, to_year int, framework text DEFAULT 'default',
                                            options jsonb DEFAULT '{}', top int DEFAULT 10)
RETURNS TABLE (territory_type text, territory_code text, territory_name text, departement_code text,
               region_code text, score_from double precision, score_to double precision,
               change double precision, rank_from int, rank_to int, rank_change int)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 10
SET search_path = pg_catalog, pg_temp
-- the scoring queries are estimated at 40,000 rows a call: JIT would compile them for
-- ~0.6 s each, far more than they run
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_movers
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_movers', options);
  args_given boolean;
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_movers');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_movers',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  PERFORM @extschema@.maturity_check_framework(framework);
  -- (the shared NULL check, docs/governance.md#null-arguments, after the framework's as before)
  args_given := @extschema@._require_args('from_year', from_year, 'to_year', to_year);
  IF from_year >= to_year THEN
    RAISE EXCEPTION 'parameter "from_year" must be before parameter "to_year", got % and %', from_year, to_year
      USING ERRCODE = '22023';
  END IF;
  IF top IS NULL OR top < 1 OR top > 10000 THEN
    RAISE EXCEPTION 'top must be between 1 and 10000, got %', top USING ERRCODE = '22003';
  END IF;
  -- (a département or région that is no territory: 42704, not an empty table)
  PERFORM @extschema@._territory_filter_check(o);
  RETURN QUERY
  WITH a AS (SELECT * FROM @extschema@._maturity_eval(framework, from_year, o->>'normalisation', o->>'aggregation',
                                                     o->>'missing', o->>'hub', o->>'territory_type', false)),
       b AS (SELECT * FROM @extschema@._maturity_eval(framework, to_year, o->>'normalisation', o->>'aggregation',
                                                     o->>'missing', o->>'hub', o->>'territory_type', false))
  SELECT b.territory_type, b.territory_code, b.territory_name, tr.departement_code, tr.region_code,
         a.score, b.score, b.score - a.score, a.rank, b.rank, a.rank - b.rank
    FROM a JOIN b ON b.territory_type = a.territory_type AND b.territory_code = a.territory_code
    JOIN @extschema@.territory tr ON tr.type = b.territory_type AND tr.code = b.territory_code
   WHERE a.score IS NOT NULL AND b.score IS NOT NULL
     AND (NOT o ? 'region' OR tr.region_code = o->>'region')
     AND (NOT o ? 'departement' OR tr.departement_code = o->>'departement')
   ORDER BY pg_catalog.abs(b.score - a.score) DESC, b.territory_code
   LIMIT top;
  PERFORM @extschema@._maturity_nothing_loaded(framework, o->>'hub', o->>'territory_type', true);   -- (nothing loaded is not "no match")
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_movers(int, int, text, jsonb, int) IS
  'the territories whose score moved most between two years (largest absolute change first), nationally or within a région or département: scores, change, ranks and rank change (positive = climbed)';

-- Report ---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._html(t text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;') $$;
COMMENT ON FUNCTION @extschema@._html(text) IS
  'internal: text escaped for HTML';

CREATE FUNCTION @extschema@._fr(v double precision, digits int DEFAULT 1)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN v IS NULL THEN 'n.d.' ELSE pg_catalog.replace(pg_catalog.round(v::numeric, digits)::text, '.', ',') END $$;
COMMENT ON FUNCTION @extschema@._fr(double precision, int) IS
  'internal: a number written the French way (decimal comma), n.d. when unknown';

CREATE FUNCTION @extschema@._maturity_radar_overlay(labels text[], scores double precision[], peers double precision[],
  previous double precision[], title text, series_label text, peers_label text, previous_label text)
RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_maturity_radar_overlay'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._maturity_radar_overlay(text[], double precision[], double precision[], double precision[], text, text, text, text) IS
  'internal: the radar chart of maturity_radar_chart with a third, dotted polygon (an earlier year)';

CREATE FUNCTION @extschema@.maturity_report(territory_code text, framework text DEFAULT 'default', year int DEFAULT NULL,
                                            options jsonb DEFAULT '{}', territory_type text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
-- the scoring queries are estimated at 40,000 rows a call: JIT would compile them for
-- ~0.6 s each, far more than they run
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage maturity_report
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('maturity_report', options);
  base jsonb := o - 'compare_year' - 'top';
  t record := @extschema@._maturity_resolve(territory_code, territory_type);
  ver text := @extschema@.maturity_check_framework(framework);
  years int[];
  y int;
  cmp int;
  r record;
  labels text[] := '{}';
  mine float8[] := '{}';
  med float8[] := '{}';
  prevv float8[] := '{}';
  overall record;
  svg text;
  html text;
  rows_html text := '';
  reco text := '';
  trend jsonb;
  type_fr text := CASE t.type WHEN 'commune' THEN 'commune' WHEN 'epci' THEN 'intercommunalité (EPCI)'
                              WHEN 'departement' THEN 'département' ELSE 'région' END;
  types_fr text := CASE t.type WHEN 'commune' THEN 'communes' WHEN 'epci' THEN 'intercommunalités'
                               WHEN 'departement' THEN 'départements' ELSE 'régions' END;
BEGIN
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'maturity_report');   -- (who controls the hub's code)
  PERFORM @extschema@._hub_usage_guard((o->>'hub')::name, 'maturity_report',
    'maturity_value and maturity_answer', 'the maturity readers'' option "hub"');   -- (USAGE on the hub, naming this reader)
  years := ARRAY(SELECT x FROM pg_catalog.unnest(@extschema@._maturity_years(o->>'hub', t.type, t.code, framework)) x
                  WHERE year IS NULL OR x <= year ORDER BY x);
  -- the report's year is the territory's latest year with data up to year: the trend,
  -- its level and rank are those of its years with data (a year after its last one gave
  -- the score with level, rank and changes "n.d.")
  y := years[pg_catalog.array_length(years, 1)];
  IF y IS NULL THEN
    RAISE EXCEPTION 'territory "%" has no value or answer in hub "%"%', t.code, o->>'hub',
      CASE WHEN year IS NULL THEN '' ELSE pg_catalog.format(' up to %s', year) END USING ERRCODE = '22023',
      HINT = 'Load indicator values, or run a self-diagnosis campaign, first.';
  END IF;
  cmp := coalesce((o->>'compare_year')::int,
                  (SELECT pg_catalog.max(x) FROM pg_catalog.unnest(years) x WHERE x < y));
  -- the radar: this year, the peers' median and the comparison year, with French axis labels
  FOR r IN SELECT p.axis, coalesce(la.label, p.label) AS lab, p.score, p.peers_median, p.peers, q.score AS before
             FROM @extschema@.maturity_peers(t.code, framework, y, base, t.type) p
             LEFT JOIN @extschema@.maturity_peers(t.code, framework, cmp, base, t.type) q
                    ON cmp IS NOT NULL AND q.axis = p.axis
             LEFT JOIN @extschema@.maturity_label la ON la.framework = maturity_report.framework
                    AND la.kind = 'axis' AND la.key = p.axis AND la.lang = 'fr' LOOP
    IF r.axis = 'overall' THEN
      overall := r;
    ELSE
      labels := labels || r.lab;
      mine := mine || r.score;
      med := med || r.peers_median;
      prevv := prevv || r.before;
    END IF;
  END LOOP;
  svg := @extschema@._maturity_radar_overlay(labels, mine, med, CASE WHEN cmp IS NOT NULL THEN prevv END,
           pg_catalog.format('%s : %s/100 en %s', t.name, @extschema@._fr(overall.score), y), pg_catalog.format('%s (%s)', t.name, y),
           pg_catalog.format('médiane de %s pairs', overall.peers), pg_catalog.format('%s (%s)', t.name, cmp));
  -- the trend, read once for the level and rank and for the table: each of its years scores
  -- every territory of the type (the demo's report of Rennes read it twice, 34,969 communes a
  -- year).  Kept as JSON (a STABLE function creates no table); its doubles come back the same
  -- (float8 out and in), or at 15 digits when extra_float_digits < 1, which _fr rounds alike
  SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(x)) INTO trend
    FROM @extschema@.maturity_trend(t.code, framework, base || pg_catalog.jsonb_build_object('to_year', y), t.type) x;
  -- level, rank and the trend table
  SELECT tr.level, coalesce(ll.label, tr.level_label) AS level_fr, tr.rank, tr.ranked INTO r
    FROM pg_catalog.jsonb_to_recordset(trend) AS tr(year int, axis text, label text, score float8, level int,
           level_label text, rank int, ranked int, change_previous float8, change_total float8,
           peers_median float8, peers int)
    LEFT JOIN @extschema@.maturity_label ll ON ll.framework = maturity_report.framework AND ll.kind = 'level'
           AND ll.key = tr.level::text AND ll.lang = 'fr'
   WHERE tr.year = y AND tr.axis = 'overall';
  WITH tr AS (SELECT * FROM pg_catalog.jsonb_to_recordset(trend) AS x(year int, axis text, label text, score float8,
                level int, level_label text, rank int, ranked int, change_previous float8, change_total float8,
                peers_median float8, peers int)),
  ys AS (SELECT DISTINCT tr.year FROM tr),
  ax AS (SELECT 0 AS pos, 'overall'::text AS axis, 'Score global'::text AS lab
         UNION ALL SELECT a.position, a.axis, coalesce(la.label, a.label) FROM @extschema@.maturity_axis a
           LEFT JOIN @extschema@.maturity_label la ON la.framework = a.framework AND la.kind = 'axis' AND la.key = a.axis AND la.lang = 'fr'
          WHERE a.framework = maturity_report.framework)
  SELECT '<tr><th scope="col">Axe</th>' || pg_catalog.string_agg('<th scope="col">' || ys.year || '</th>', '' ORDER BY ys.year)
         || '<th scope="col">Évolution sur un an</th><th scope="col">Depuis le début</th><th scope="col">Médiane des pairs ' || y || '</th></tr>',
         pg_catalog.string_agg(
           pg_catalog.format('<tr%s><th scope="row">%s</th>%s<td>%s</td><td>%s</td><td>%s</td></tr>',
             CASE WHEN ax.pos = 0 THEN ' class="total"' ELSE '' END, @extschema@._html(ax.lab),
             (SELECT pg_catalog.string_agg('<td>' || @extschema@._fr(tr.score) || '</td>', '' ORDER BY tr.year)
                FROM tr WHERE tr.axis = ax.axis),
             (SELECT CASE WHEN tr.change_previous IS NULL THEN '–' WHEN tr.change_previous >= 0 THEN '+' || @extschema@._fr(tr.change_previous)
                          ELSE @extschema@._fr(tr.change_previous) END FROM tr WHERE tr.axis = ax.axis AND tr.year = y),
             (SELECT CASE WHEN tr.change_total IS NULL THEN '–' WHEN tr.change_total >= 0 THEN '+' || @extschema@._fr(tr.change_total)
                          ELSE @extschema@._fr(tr.change_total) END FROM tr WHERE tr.axis = ax.axis AND tr.year = y),
             (SELECT @extschema@._fr(tr.peers_median) FROM tr WHERE tr.axis = ax.axis AND tr.year = y)),
           E'\n' ORDER BY ax.pos) FILTER (WHERE ax.pos IS NOT NULL)
    INTO html, rows_html FROM (SELECT DISTINCT ys.year FROM ys) ys FULL JOIN ax ON false;
  -- recommendations, in words
  SELECT pg_catalog.string_agg(
           CASE WHEN m.kind = 'axis' THEN pg_catalog.format(
                  '<li><strong>%s</strong> : %s points, contre %s pour la médiane des pairs (%s points) : %s</li>',
                  @extschema@._html(coalesce(la.label, m.label)), @extschema@._fr(m.value), @extschema@._fr(m.peers_median),
                  CASE WHEN m.gap >= 0 THEN '+' ELSE '' END || @extschema@._fr(m.gap),
                  CASE WHEN m.gap < 0 THEN 'axe prioritaire, en retard sur les pairs.'
                       ELSE 'au niveau des pairs ou au-dessus, c''est toutefois l''un des axes les moins avancés.' END)
                ELSE pg_catalog.format(
                  '<li><strong>%s</strong> (%s) : atteindre l''objectif de cet indicateur ajouterait %s points au score global.</li>',
                  @extschema@._html(coalesce(li.label, m.label)),
                  CASE WHEN m.value IS NULL THEN 'pas de donnée' ELSE 'aujourd''hui ' || @extschema@._fr(m.value, 0) || '/100' END,
                  @extschema@._fr(m.gain)) END,
           E'\n' ORDER BY m.kind, m.rank)
    INTO reco
    FROM @extschema@.maturity_recommendations(t.code, framework, y, base, t.type, (o->>'top')::int) m
    LEFT JOIN @extschema@.maturity_label la ON la.framework = maturity_report.framework AND la.kind = 'axis' AND la.key = m.axis AND la.lang = 'fr'
    LEFT JOIN @extschema@.maturity_label li ON li.framework = maturity_report.framework AND li.kind = 'indicator' AND li.key = m.indicator AND li.lang = 'fr';
  RETURN pg_catalog.concat_ws(E'\n',
    '<!DOCTYPE html>',
    '<html lang="fr"><head><meta charset="utf-8">',
    pg_catalog.format('<title>Maturité numérique – %s – %s</title>', @extschema@._html(t.name), y),
    '<style>body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;max-width:60em;margin:2em auto;padding:0 1em}'
    'h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}'
    'table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}'
    'th[scope=row]{text-align:left}tr.total{font-weight:bold;background:#f4f4f4}'
    '.chiffres{font-size:1.1em}.note{color:#555;font-size:.9em}svg{max-width:100%;height:auto}</style>',
    '</head><body>',
    pg_catalog.format('<h1>Autodiagnostic de maturité numérique : %s</h1>', @extschema@._html(t.name)),
    pg_catalog.format('<p>%s %s%s – année %s – référentiel « %s » version %s.</p>', pg_catalog.initcap(type_fr), t.code,
                      CASE WHEN t.population IS NOT NULL THEN ', ' || pg_catalog.replace(pg_catalog.to_char(t.population, 'FM999G999G999'), ',', ' ') || ' habitants' ELSE '' END,
                      y, @extschema@._html(framework), @extschema@._html(ver)),
    pg_catalog.format('<p class="chiffres">Score global : <strong>%s/100</strong>, niveau %s « %s » ; rang %s sur %s %s ; médiane des %s pairs (même type, même tranche de population) : %s.</p>',
                      @extschema@._fr(overall.score), coalesce(r.level::text, 'n.d.'), @extschema@._html(coalesce(r.level_fr, 'n.d.')),
                      coalesce(r.rank::text, 'n.d.'), coalesce(r.ranked::text, 'n.d.'), types_fr, overall.peers, @extschema@._fr(overall.peers_median)),
    '<h2>Profil par axe</h2>',
    CASE WHEN cmp IS NOT NULL THEN pg_catalog.format('<p>Le polygone plein montre %s, le pointillé orange la médiane des pairs, le pointillé vert %s.</p>', y, cmp)
         ELSE '<p>Le polygone plein montre le territoire, le pointillé orange la médiane des pairs.</p>' END,
    pg_catalog.regexp_replace(svg, '^<\?xml[^>]*>\s*', ''),
    '<h2>Évolution par axe (scores sur 100)</h2>',
    '<table>', html, coalesce(rows_html, ''), '</table>',
    '<h2>Recommandations</h2>',
    pg_catalog.format('<ul>%s</ul>', coalesce(reco, '<li>Pas de recommandation : données insuffisantes.</li>')),
    '<h2>Méthode</h2>',
    '<p class="note">Chaque indicateur est ramené sur une échelle de 0 à 100 (bornes fixes de l''indicateur ; réponses d''autodiagnostic de 1 à 5), '
    'puis moyenné avec ses poids dans son axe, et les axes entre eux (méthode des indicateurs composites de l''OCDE). '
    'Pour une année, la dernière valeur connue de chaque indicateur est retenue. Les pairs sont les territoires du même type '
    'et de la même tranche de population. Les réponses d''autodiagnostic sont celles des campagnes soumises.</p>',
    '</body></html>');
END;
END
$$;
COMMENT ON FUNCTION @extschema@.maturity_report(text, text, int, jsonb, text) IS
  'a territory''s self-diagnosis report: a self-contained HTML page in French with its score, level and rank, the radar (with the previous year and the peers'' median), the trend per axis and the recommendations';

-- Catalogue (docs/governance.md) -------------------------------------------------------------
SELECT @extschema@.register_dataset('campaign', 'Self-diagnosis campaigns',
  'Campaigns of the digital-maturity self-diagnosis: framework and version, year, opening and closing dates.',
  ARRAY['TECH', 'GOVE'], ARRAY['digital maturity', 'self-assessment', 'campaign'], 'ANNUAL', 'year');
SELECT @extschema@.register_dataset('campaign_respondent', 'Respondents of self-diagnosis campaigns',
  'Respondents invited to self-diagnosis campaigns: territory, role, SHA-256 of their invitation token, invitation, start and submission times.',
  ARRAY['TECH', 'GOVE'], ARRAY['digital maturity', 'self-assessment', 'respondents'], 'ANNUAL', 'invited_at', 'NON_PUBLIC');
SELECT @extschema@.register_dataset('campaign_answer', 'Answers of self-diagnosis campaigns',
  'Draft and submitted answers (1 to 5) of the respondents of self-diagnosis campaigns, with their comments.',
  ARRAY['TECH', 'GOVE'], ARRAY['digital maturity', 'self-assessment', 'survey'], 'ANNUAL', 'saved_at', 'NON_PUBLIC');

-- the comments are free text, written by elected officials and officers, that may
-- name people: registered as free text (subject_export reports the comments naming a
-- person, subject_erase clears them), and cleared (the answers kept) 3 years after
-- they were written, as the respondents of maturity_answer are pseudonymised
SELECT @extschema@.register_personal_data('campaign_answer', 'comment', 'free_text',
  'free-text comments of a self-diagnosis (opinions of the respondent, may name third persons)',
  'respondents of self-diagnosis campaigns (elected officials, officers) and the persons their comments name',
  'self-assessment of the digital maturity of territories', 'public_task',
  'agents of the responding territory; the organiser''s agents once submitted; never published', interval '3 years', 'clear');

-- a respondent's role ('maire', 'DGS' ...) names a person in a small commune, and may be
-- their name or e-mail address: registered as the identifier of its respondent, so that
-- subject_export finds it, subject_erase and the retention pseudonymise it (the respondent
-- and its answers kept), and readers never get the column (the tenancy red team of
-- 2026-12-07, h2: before, it was in no register, and a copy of it in maturity_answer's
-- respondent, read by every territory's agents, outlived the erasure)
SELECT @extschema@.register_personal_data('campaign_respondent', 'role', 'subject_id',
  'identification (the respondent''s function, such as maire or DGS, or their name or e-mail address)',
  'respondents of self-diagnosis campaigns (elected officials, officers)',
  'self-assessment of the digital maturity of territories', 'public_task',
  'agents of the responding territory; the organiser''s agents; the platform; never published', interval '3 years', 'pseudonymise');

SELECT @extschema@.register_service('self_diagnosis', '0.1.0',
  'self-diagnosis campaigns of digital maturity: question bank, campaigns, invited respondents with hashed tokens, drafts submitted once into the observatory, progress, trends, movers and a report in French',
  ARRAY['campaign_invite', 'campaign_questionnaire', 'campaign_save', 'campaign_submit', 'campaign_close', 'campaign_reopen',
        'campaign_progress', 'maturity_trend', 'maturity_movers', 'maturity_report']);
