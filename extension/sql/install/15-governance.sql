-- ---------------------------------------------------------------------------
-- Data governance of the hub (issue 14): the catalogue (DCAT-AP), provenance,
-- the register of personal data (GDPR art. 30), data subjects' rights (art. 15
-- and 17), retention, consent, pseudonymised views and access audit.
-- Reference: docs/governance.md; threat model and guarantees: docs/security.md.
-- Every function pins search_path = pg_catalog, pg_temp: the SQL it writes
-- (views, deletes, updates) can only bind pg_catalog's operators.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@._pgcrypto_schema() RETURNS name
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'pgcrypto' $$;
COMMENT ON FUNCTION @extschema@._pgcrypto_schema() IS
  'internal: the schema pgcrypto is installed in (its HMAC keys the pseudonyms), so that it is always called schema-qualified';

-- Catalogue ---------------------------------------------------------------------
CREATE TABLE @extschema@.catalog (
  hub_schema     name PRIMARY KEY,
  title          text NOT NULL,
  description    text NOT NULL,
  publisher_name text NOT NULL,
  publisher_uri  text NOT NULL CONSTRAINT catalog_publisher_uri_format CHECK (publisher_uri ~ '^[a-z][a-z0-9+.-]*:'),
  contact_email  text NOT NULL CONSTRAINT catalog_contact_email_format CHECK (contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  contact_name   text,
  license        text NOT NULL DEFAULT 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'
                 CONSTRAINT catalog_license_format CHECK (license ~ '^https?://'),
  base_uri       text NOT NULL CONSTRAINT catalog_base_uri_format CHECK (base_uri ~ '^https?://.*/$'),
  spatial        text CONSTRAINT catalog_spatial_format CHECK (spatial ~ '^[a-z][a-z0-9+.-]*:'),
  language       text NOT NULL DEFAULT 'FRA' CONSTRAINT catalog_language_format CHECK (language ~ '^[A-Z]{3}$'),
  homepage       text CONSTRAINT catalog_homepage_format CHECK (homepage ~ '^https?://'),
  -- the hub's identity, not only its name: a schema created under the name of a renamed or
  -- dropped hub (by a role with CREATE on the database) is another schema, whose tables the
  -- hub's catalogue must not publish under the hub's publisher. The identity is that of the
  -- hub's agents table (_catalog_schema_id): a regclass is restored by name from a dump and
  -- kept by pg_upgrade, which keeps pg_class's OIDs; a schema's OID is not kept, and
  -- pg_upgrade refuses a cluster with a regnamespace column in any table
  hub_id         regclass NOT NULL
);
COMMENT ON COLUMN @extschema@.catalog.hub_id IS
  'the hub described (its identity, the hub''s agents table, recorded by catalog_configure): the row describes this hub only while its schema is named hub_schema; a schema created later under that name, after a rename or a drop, is another schema (catalog_dcat refuses it, 55000)';
COMMENT ON TABLE @extschema@.catalog IS
  'one data catalogue per hub schema: title, description, publisher, contact point, licence, base URI of the published datasets, spatial coverage and language (EU authority code), exported by smartregion.catalog_dcat()';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.catalog', '');

CREATE TABLE @extschema@.dataset (
  table_name       name PRIMARY KEY,
  title            text NOT NULL,
  description      text NOT NULL,
  themes           text[] NOT NULL CONSTRAINT dataset_themes_check CHECK (themes <@ ARRAY['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI',
                     'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'] AND pg_catalog.cardinality(themes) > 0),
  keywords         text[] NOT NULL DEFAULT '{}',
  update_frequency text NOT NULL DEFAULT 'IRREG' CONSTRAINT dataset_update_frequency_check CHECK (update_frequency IN
                     ('CONT', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'ANNUAL', 'BIENNIAL', 'IRREG', 'NEVER', 'UNKNOWN')),
  temporal_column  name,
  access_rights    text NOT NULL DEFAULT 'PUBLIC' CONSTRAINT dataset_access_rights_check CHECK (access_rights IN
                     ('PUBLIC', 'RESTRICTED', 'NON_PUBLIC')),
  provider         text DEFAULT @extschema@._current_extension()
);
COMMENT ON TABLE @extschema@.dataset IS
  'metadata of every hub table as a dataset: title, description, EU data themes, keywords, EU update frequency, the column giving its temporal coverage and EU access rights; families register theirs with smartregion.register_dataset()';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dataset', 'WHERE provider IS NULL');

CREATE FUNCTION @extschema@.register_dataset(
  table_name name, title text, description text, themes text[], keywords text[] DEFAULT '{}',
  update_frequency text DEFAULT 'IRREG', temporal_column name DEFAULT NULL, access_rights text DEFAULT 'PUBLIC')
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.hub_table h WHERE h.table_name = register_dataset.table_name) THEN
    RAISE EXCEPTION 'hub table "%" is not registered', table_name
      USING ERRCODE = '42P01', HINT = 'Register its DDL with smartregion.register_hub_table() first.';
  END IF;
  INSERT INTO @extschema@.dataset AS d (table_name, title, description, themes, keywords, update_frequency,
                                        temporal_column, access_rights, provider)
  VALUES (table_name, title, description, themes, coalesce(keywords, '{}'), coalesce(update_frequency, 'IRREG'),
          temporal_column, coalesce(access_rights, 'PUBLIC'), @extschema@._current_extension())
  ON CONFLICT ON CONSTRAINT dataset_pkey DO UPDATE
     SET title = EXCLUDED.title, description = EXCLUDED.description, themes = EXCLUDED.themes,
         keywords = EXCLUDED.keywords, update_frequency = EXCLUDED.update_frequency,
         temporal_column = EXCLUDED.temporal_column, access_rights = EXCLUDED.access_rights,
         provider = EXCLUDED.provider;
END
$$;
COMMENT ON FUNCTION @extschema@.register_dataset(name, text, text, text[], text[], text, name, text) IS
  'registers (or updates) the catalogue metadata of a hub table: title, description, EU data themes (ENVI, REGI ...), keywords, EU update frequency (ANNUAL ...), temporal column and access rights (PUBLIC, RESTRICTED, NON_PUBLIC)';

CREATE FUNCTION @extschema@._catalog_schema_id(hub_schema name) RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (a NULL name is no schema "<NULL>" that might be created: the caller's argument is missing)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  v_id regclass;
BEGIN
  IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(hub_schema)) IS NULL THEN
    RAISE EXCEPTION 'schema "%" does not exist', hub_schema
      USING ERRCODE = '3F000', HINT = 'Create the hub first (smartregion.create_hub()), then describe its catalogue.';
  END IF;
  -- a hub's identity is its agents table's (a table's OID, unlike a schema's, survives
  -- pg_upgrade; a dump restores the regclass by name)
  v_id := pg_catalog.to_regclass(pg_catalog.format('%I.agents', hub_schema));
  IF v_id IS NULL THEN
    RAISE EXCEPTION 'schema "%" has no hub', hub_schema
      USING ERRCODE = '42P01', HINT = 'Create the hub first (smartregion.create_hub()), then describe its catalogue.';
  END IF;
  RETURN v_id;
END
$$;
COMMENT ON FUNCTION @extschema@._catalog_schema_id(name) IS
  'internal: the identity of the hub a catalogue or a pseudonym key is bound to (smartregion.catalog.hub_id, pseudonym_key.hub_id): its agents table, whose OID pg_upgrade keeps and a dump restores by name; 3F000 when no schema bears the name, 42P01 when the schema has no hub, 22004 for a NULL name';

CREATE FUNCTION @extschema@.catalog_configure(
  hub_schema name, title text, description text, publisher_name text, publisher_uri text,
  contact_email text, base_uri text,
  license text DEFAULT 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  spatial text DEFAULT NULL, contact_name text DEFAULT NULL, language text DEFAULT 'FRA', homepage text DEFAULT NULL)
RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  -- the row is bound to the schema that bears the name now (_catalog_schema_id: 3F000 when
  -- none does: a catalogue configured for a schema not yet created would describe whichever
  -- schema another role creates first)
  INSERT INTO @extschema@.catalog AS c (hub_schema, title, description, publisher_name, publisher_uri, contact_email,
                                        contact_name, license, base_uri, spatial, language, homepage, hub_id)
  VALUES (hub_schema, title, description, publisher_name, publisher_uri, contact_email, contact_name,
          coalesce(license, 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'), base_uri, spatial,
          coalesce(language, 'FRA'), homepage, @extschema@._catalog_schema_id(hub_schema))
  ON CONFLICT ON CONSTRAINT catalog_pkey DO UPDATE
     SET title = EXCLUDED.title, description = EXCLUDED.description, publisher_name = EXCLUDED.publisher_name,
         publisher_uri = EXCLUDED.publisher_uri, contact_email = EXCLUDED.contact_email,
         contact_name = EXCLUDED.contact_name, license = EXCLUDED.license, base_uri = EXCLUDED.base_uri,
         spatial = EXCLUDED.spatial, language = EXCLUDED.language, homepage = EXCLUDED.homepage,
         hub_id = EXCLUDED.hub_id
$$;
COMMENT ON FUNCTION @extschema@.catalog_configure(name, text, text, text, text, text, text, text, text, text, text, text) IS
  'sets the catalogue of a hub schema (bound to the schema of that name: 3F000 when there is none): title, description, publisher (name and URI), contact e-mail, base URI of the published datasets, licence (default Licence Ouverte 2.0), spatial coverage URI, contact name, language (EU code, default FRA), homepage; 22004 for a NULL hub_schema';

-- Provenance ------------------------------------------------------------------------
CREATE TABLE @extschema@.provenance (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hub_schema  name NOT NULL,
  table_name  name NOT NULL,
  -- the table's identity, not only its name: a schema and table created under the name of a
  -- renamed or dropped hub are other tables, whose readers must not read the hub's history
  -- (regclass, so that a dump restores it as the table's new OID)
  table_id    regclass NOT NULL,
  operation   text NOT NULL CONSTRAINT provenance_operation_check CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
  loader      text NOT NULL,
  source      text,
  loaded_by   name NOT NULL DEFAULT CURRENT_USER,
  loaded_at   timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.provenance IS
  'provenance of the hub tables: every statement that writes one (loader, source file, role, time), recorded by the sr_provenance trigger that create_hub puts on each hub table';
COMMENT ON COLUMN @extschema@.provenance.table_id IS
  'the hub table written (its identity, recorded with its name): the row describes this table only while it is named hub_schema.table_name; a table created later under that name, after a rename or a drop, is another table';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.provenance', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.provenance_id_seq', '');
CREATE INDEX provenance_table_idx ON @extschema@.provenance (hub_schema, table_name, loaded_at);
-- a writer records its own statements only: provenance cannot be forged in another role's
-- name, dated other than now, nor recorded for a table the writer may not write (the
-- catalogue publishes it: a role could otherwise claim loads of any table, at any time)
ALTER TABLE @extschema@.provenance ENABLE ROW LEVEL SECURITY;

-- Who reads a provenance row: its writer; the platform administrator; and whoever may read
-- the table it describes (USAGE on its schema, SELECT on one of its columns) -- but for a
-- NON_PUBLIC dataset (the consents: each agent reads its own territories' only) only a role
-- that reads every row of that table (its owner, a role row-level security does not apply
-- to).  The writes of a table nobody else reads are its writers' activity: which agent
-- recorded how many consents, from which file, when.  Read as the caller (no SECURITY
-- DEFINER): the tables are found in pg_class (to_regclass raises for a schema the caller
-- may not use; a dropped or renamed table is no error, its rows are then its writers' and
-- the platform administrator's), and the catalogue's access rights only by a caller that
-- may read smartregion.dataset -- one that may not cannot tell a NON_PUBLIC table from
-- another and reads, of a table under row-level security, its own writes only.  A set, not
-- a test per row: the policy hashes it once per query (a function per row cost ~100 us a
-- row, 2 s for a reader's count of 20,000 rows).
CREATE FUNCTION @extschema@._provenance_readable()
RETURNS TABLE (hub_schema name, table_name name, table_id pg_catalog.oid)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1000 ROWS 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
              WHERE c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
                AND c.relname OPERATOR(pg_catalog.=) 'dataset' AND pg_catalog.has_table_privilege(c.oid, 'SELECT')) THEN
    RETURN QUERY
    SELECT n.nspname, c.relname, c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'f', 'v', 'm']::"char"[])
       AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_any_column_privilege(c.oid, 'SELECT')
       -- every row of the table readable: its provenance tells nothing the table does not
       AND (NOT pg_catalog.row_security_active(c.oid)
            OR NOT EXISTS (SELECT 1 FROM @extschema@.dataset d
                            WHERE d.table_name OPERATOR(pg_catalog.=) c.relname
                              AND d.access_rights OPERATOR(pg_catalog.=) 'NON_PUBLIC'));
  ELSE
    RETURN QUERY
    SELECT n.nspname, c.relname, c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'f', 'v', 'm']::"char"[])
       AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_any_column_privilege(c.oid, 'SELECT')
       AND NOT pg_catalog.row_security_active(c.oid);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._provenance_readable() IS
  'internal: the tables whose provenance rows the current role reads besides its own writes (policy provenance_read): those it may read (USAGE on the schema, SELECT on a column), a NON_PUBLIC dataset only when row-level security shows it every row (without SELECT on smartregion.dataset: only such tables)';
CREATE POLICY provenance_read ON @extschema@.provenance FOR SELECT
  USING (loaded_by OPERATOR(pg_catalog.=) CURRENT_USER
         -- (who may act as the group: a NOINHERIT member reads no row it would not read
         -- after SET ROLE, the group reading every row; 16+'s SET FALSE grant not counted:
         -- _caller_may_act_as; 66-secrecy-rules.sql repeats the term, r-noinherit-set)
         OR (SELECT @extschema@._caller_may_act_as('smartregion_platform_admin'))
         -- the table of that name, and the same table (not one created under its name since)
         OR ROW(hub_schema, table_name, table_id::pg_catalog.oid) OPERATOR(pg_catalog.=) ANY (
              SELECT v.hub_schema, v.table_name, v.table_id FROM @extschema@._provenance_readable() v));
CREATE POLICY provenance_record ON @extschema@.provenance FOR INSERT
  WITH CHECK (loaded_by OPERATOR(pg_catalog.=) CURRENT_USER AND loaded_at OPERATOR(pg_catalog.=) pg_catalog.now()
              -- the table named is the table identified, and the writer may write it
              AND table_id::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(
                    pg_catalog.quote_ident(hub_schema) OPERATOR(pg_catalog.||) '.'
                    OPERATOR(pg_catalog.||) pg_catalog.quote_ident(table_name))::pg_catalog.oid
              AND pg_catalog.has_table_privilege(table_id::pg_catalog.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'));

CREATE FUNCTION @extschema@.set_provenance(loader text, source text DEFAULT NULL)
RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- (bound to the role naming them: the trigger applies them to that role's writes only, so a
  -- SET ROLE does not lend them to another role's writes in the same session)
  SELECT pg_catalog.set_config('smartregion_provenance.loader', coalesce(loader, ''), false),
         pg_catalog.set_config('smartregion_provenance.source', coalesce(source, ''), false),
         pg_catalog.set_config('smartregion_provenance.role',
                               CASE WHEN loader IS NULL AND source IS NULL THEN ''
                                    ELSE (SELECT r.oid::text FROM pg_catalog.pg_roles r
                                           WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) END, false);
$$;
COMMENT ON FUNCTION @extschema@.set_provenance(text, text) IS
  'names the loader and the source file of the session''s next writes to hub tables by the current role (recorded as their provenance; another role''s writes after SET ROLE are not theirs); NULL forgets them';

CREATE FUNCTION @extschema@._hub_provenance() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_loader text := nullif(pg_catalog.current_setting('smartregion_provenance.loader', true), '');
  v_source text := nullif(pg_catalog.current_setting('smartregion_provenance.source', true), '');
  v_role text := pg_catalog.current_setting('smartregion_provenance.role', true);
  v_table oid;
BEGIN
  -- the loader and source named by set_provenance are the role's that named them: another
  -- role's writes in the session (after SET ROLE, or in a SECURITY DEFINER function) get the
  -- application_name, as if none were named (until 2026-12-07 they took the settings as they were)
  IF v_role IS DISTINCT FROM (SELECT r.oid::text FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
    v_loader := NULL;
    v_source := NULL;
  END IF;
  -- a role without the right to record provenance (not a smartregion group
  -- member) still writes; its writes are only missing from the provenance.
  -- (Looked up by oid: naming the table would need USAGE on the schema.)
  SELECT c.oid INTO v_table FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = '@extschema@' AND c.relname = 'provenance'
     AND pg_catalog.has_schema_privilege(n.oid, 'USAGE');
  IF v_table IS NOT NULL AND pg_catalog.has_table_privilege(v_table, 'INSERT') THEN
    INSERT INTO @extschema@.provenance (hub_schema, table_name, table_id, operation, loader, source)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_RELID, TG_OP,
            coalesce(v_loader, nullif(pg_catalog.current_setting('application_name'), ''), 'unknown'), v_source);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_provenance() IS
  'internal: statement trigger of every hub table recording its provenance (operation, loader and source from smartregion.set_provenance(), else application_name, role, time)';

-- Register of personal data (GDPR art. 30) --------------------------------------------
CREATE FUNCTION @extschema@._hub_column_require(table_name name, column_name name) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.hub_table h WHERE h.table_name OPERATOR(pg_catalog.=) _hub_column_require.table_name) THEN
    RAISE EXCEPTION 'hub table "%" is not registered', table_name
      USING ERRCODE = '42P01', HINT = 'Register its DDL with smartregion.register_hub_table() first.';
  END IF;
  -- the column must be one the table's DDL template defines (a name, quoted as create_hub
  -- would need it, then its type: at the start of the template, after "(", "," or ADD
  -- COLUMN [IF NOT EXISTS]): a misspelt column was registered, then skipped by every
  -- export, erasure and purge (_personal_columns only reads columns that exist)
  IF NOT EXISTS (
    SELECT 1 FROM @extschema@.hub_table h
     WHERE h.table_name OPERATOR(pg_catalog.=) _hub_column_require.table_name
       -- (its comments left out: a word there is no column, and a comment line
       -- between a ',' and the next column hid that column)
       AND pg_catalog.regexp_replace(pg_catalog.regexp_replace(h.ddl, '/\*.*?\*/', ' ', 'g'), '--[^\n]*', ' ', 'g')
           OPERATOR(pg_catalog.~) ('(^|[(,]|ADD[[:space:]]+COLUMN([[:space:]]+IF[[:space:]]+NOT[[:space:]]+EXISTS)?)[[:space:]]*'
                                   OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(pg_catalog.quote_ident(_hub_column_require.column_name),
                                                                                     '([^[:alnum:]_ ])', '\\\1', 'g')
                                   OPERATOR(pg_catalog.||) '[[:space:]]+[[:alpha:]"]')) THEN
    RAISE EXCEPTION 'column "%" is not defined by the DDL of hub table "%"', column_name, table_name
      USING ERRCODE = '42703',
      HINT = 'Register a column the table''s DDL (smartregion.hub_table.ddl) creates, spelt as it is there.';
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_column_require(name, name) IS
  'internal: raises 42P01 unless the hub table is registered, 42703 unless its DDL template defines a column of that name (after "(", "," or ADD COLUMN, comments left out); for the registers of personal and confidential data';

CREATE TABLE @extschema@.personal_data (
  table_name      name NOT NULL,
  column_name     name NOT NULL,
  kind            text NOT NULL CONSTRAINT personal_data_kind_check CHECK (kind IN ('subject_id', 'direct', 'quasi', 'indirect', 'free_text')),
  data_category   text NOT NULL,
  subjects        text NOT NULL,
  purpose         text NOT NULL,
  legal_basis     text NOT NULL CONSTRAINT personal_data_legal_basis_check CHECK (legal_basis IN
                    ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests')),
  legal_reference text,
  recipients      text NOT NULL,
  retention       interval NOT NULL CONSTRAINT personal_data_retention_check CHECK (retention > interval '0'),
  erasure         text NOT NULL DEFAULT 'delete' CONSTRAINT personal_data_erasure_check CHECK (erasure IN ('delete', 'pseudonymise', 'clear')),
  subject_filter  text,
  consent_purpose text CONSTRAINT personal_data_consent_purpose_format CHECK (consent_purpose ~ '^[a-z][a-z0-9_]*$'),
  provider        text DEFAULT @extschema@._current_extension(),
  PRIMARY KEY (table_name, column_name),
  CONSTRAINT personal_data_consent_check CHECK ((legal_basis = 'consent') = (consent_purpose IS NOT NULL)),
  -- free text is about whoever it names, not about the row: its erasure clears it
  CONSTRAINT personal_data_free_text_check CHECK (kind <> 'free_text' OR erasure = 'clear')
);
COMMENT ON TABLE @extschema@.personal_data IS
  'register of the processing of personal data (GDPR art. 30): which column of which hub table holds personal data (subject_id: identifies the person; direct: another direct identifier; quasi: a quasi-identifier, such as an exact point or date, that open data turns back into the person; indirect: about the person; free_text: text that may name persons, searched by the data subjects'' requests for mentions of them), its category, the data subjects, purpose, legal basis, recipients, retention period, how it is erased, which rows are personal (subject_filter) and the consent purpose when consent is the legal basis';
CREATE TRIGGER sr_code_guard BEFORE INSERT OR UPDATE ON @extschema@.personal_data
  FOR EACH ROW EXECUTE FUNCTION @extschema@._code_registry_guard('subject_filter');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.personal_data', 'WHERE provider IS NULL');

CREATE FUNCTION @extschema@.register_personal_data(
  table_name name, column_name name, kind text, data_category text, subjects text, purpose text,
  legal_basis text, recipients text, retention interval, erasure text DEFAULT 'delete',
  subject_filter text DEFAULT NULL, consent_purpose text DEFAULT NULL, legal_reference text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@._hub_column_require(table_name, column_name);
  IF subject_filter IS NOT NULL AND subject_filter ~ ';' THEN
    RAISE EXCEPTION 'subject filter of "%.%" must be one condition', table_name, column_name
      USING ERRCODE = '22023', DETAIL = 'A filter is a boolean expression over the row''s columns, without ";".';
  END IF;
  -- (the register's check says the same, as 23514; this says what to write instead)
  IF kind = 'free_text' AND coalesce(erasure, 'delete') <> 'clear' THEN
    RAISE EXCEPTION 'free-text column "%.%" must be erased by clearing, not %', table_name, column_name,
                    coalesce(pg_catalog.quote_literal(erasure), 'NULL')
      USING ERRCODE = '22023',
            DETAIL = 'Free text is about the persons it names, not about its row: an erasure empties the column and keeps the row.',
            HINT = 'Register it with erasure => ''clear''.';
  END IF;
  INSERT INTO @extschema@.personal_data AS p (table_name, column_name, kind, data_category, subjects, purpose,
    legal_basis, legal_reference, recipients, retention, erasure, subject_filter, consent_purpose, provider)
  VALUES (table_name, column_name, kind, data_category, subjects, purpose, legal_basis, legal_reference,
          recipients, retention, coalesce(erasure, 'delete'), subject_filter, consent_purpose,
          @extschema@._current_extension())
  ON CONFLICT ON CONSTRAINT personal_data_pkey DO UPDATE
     SET kind = EXCLUDED.kind, data_category = EXCLUDED.data_category, subjects = EXCLUDED.subjects,
         purpose = EXCLUDED.purpose, legal_basis = EXCLUDED.legal_basis, legal_reference = EXCLUDED.legal_reference,
         recipients = EXCLUDED.recipients, retention = EXCLUDED.retention, erasure = EXCLUDED.erasure,
         subject_filter = EXCLUDED.subject_filter, consent_purpose = EXCLUDED.consent_purpose,
         provider = EXCLUDED.provider;
END
$$;
COMMENT ON FUNCTION @extschema@.register_personal_data(name, name, text, text, text, text, text, text, interval, text, text, text, text) IS
  'registers (or updates) a column of a hub table holding personal data in the GDPR art. 30 register: kind (subject_id, direct, quasi, indirect, free_text: searched for mentions by subject_export and subject_erase, erased by clearing), category, data subjects, purpose, legal basis, recipients, retention, erasure (delete the row, pseudonymise the identifier, or clear the column and keep the row), subject filter, consent purpose, legal reference';

-- Register of confidential data (statistical and fiscal secrecy) -------------------------
-- Not personal data, but microdata that may only be published through statistical
-- secrecy (aggregates with suppressed cells) or not at all (fiscal secrecy): readers and
-- analysts never get these columns (grant_roles, create_pseudonymised_views).
CREATE TABLE @extschema@.confidential_data (
  table_name      name NOT NULL,
  column_name     name NOT NULL,
  secrecy         text NOT NULL CONSTRAINT confidential_data_secrecy_check CHECK (secrecy IN ('statistical', 'fiscal')),
  description     text NOT NULL,
  legal_reference text,
  provider        text DEFAULT @extschema@._current_extension(),
  PRIMARY KEY (table_name, column_name)
);
COMMENT ON TABLE @extschema@.confidential_data IS
  'register of confidential columns of the hub tables: statistical secrecy (microdata published only as aggregates through statistical_secrecy) or fiscal secrecy (never published, not even to the analysts); readers and analysts never get them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.confidential_data', 'WHERE provider IS NULL');

CREATE FUNCTION @extschema@.register_confidential_data(
  table_name name, column_name name, secrecy text, description text, legal_reference text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@._hub_column_require(table_name, column_name);
  IF secrecy IS NULL OR secrecy NOT IN ('statistical', 'fiscal') THEN
    RAISE EXCEPTION 'secrecy must be "statistical" or "fiscal", not %', coalesce(pg_catalog.quote_literal(secrecy), 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF description IS NULL OR pg_catalog.btrim(description) = '' THEN
    RAISE EXCEPTION 'the confidential column "%.%" needs a description', table_name, column_name USING ERRCODE = '22023';
  END IF;
  INSERT INTO @extschema@.confidential_data AS c (table_name, column_name, secrecy, description, legal_reference, provider)
  VALUES (table_name, column_name, secrecy, description, legal_reference, @extschema@._current_extension())
  ON CONFLICT ON CONSTRAINT confidential_data_pkey DO UPDATE
     SET secrecy = EXCLUDED.secrecy, description = EXCLUDED.description,
         legal_reference = EXCLUDED.legal_reference, provider = EXCLUDED.provider;
END
$$;
COMMENT ON FUNCTION @extschema@.register_confidential_data(name, name, text, text, text) IS
  'registers (or updates) a confidential column of a hub table: secrecy statistical (published only through statistical secrecy) or fiscal (never published); readers and analysts never get it (grant_roles, create_pseudonymised_views: run them again after registering)';

-- Keyed pseudonyms ---------------------------------------------------------------------
CREATE TABLE @extschema@.pseudonym_key (
  hub_schema name PRIMARY KEY,
  key        bytea NOT NULL CONSTRAINT pseudonym_key_length CHECK (pg_catalog.length(key) >= 32),
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  -- the hub's identity (its agents table, as smartregion.catalog's): the key is used for
  -- that hub only while its schema bears the name (a schema created under the name of a
  -- renamed or dropped hub must not get its pseudonyms)
  hub_id     regclass NOT NULL
);
COMMENT ON COLUMN @extschema@.pseudonym_key.hub_id IS
  'the hub schema the key was drawn for (its identity): the governance functions use the key for that schema only, not for one created later under its name after a rename or a drop (55000)';
COMMENT ON TABLE @extschema@.pseudonym_key IS
  'secret HMAC-SHA-256 key of each hub''s pseudonyms (readable by the platform administrator only): pseudonym = ''pseudo:'' || d || seal, d the first 48 hex digits of HMAC(identifier, key), seal the first 16 of HMAC(a zero byte || d, key): only the key makes one that verifies';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pseudonym_key', '');
REVOKE ALL ON @extschema@.pseudonym_key FROM PUBLIC;

-- A hub renamed (ALTER SCHEMA ... RENAME: docs/platform.md, "Renaming a hub") keeps its
-- key under its old name: the rows of pseudonym_key name a hub, and cannot follow it.  The
-- pseudonymised views of its tables tell that name: each looks its key up by the name the
-- hub had when they were made (create_pseudonymised_views writes k.hub_schema = '<hub>'),
-- while PostgreSQL keeps their tables by OID.  Read from the views' definitions (their
-- rules depend on pseudonym_key and on a table of the hub).
CREATE FUNCTION @extschema@._hub_views_key_name(hub name, OUT key_name name, OUT view_schema name)
LANGUAGE sql STABLE PARALLEL RESTRICTED COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.replace(x.m[1], '''''', '''')::name, x.nsp
    FROM (SELECT DISTINCT n.nspname AS nsp,
                          pg_catalog.regexp_match(pg_catalog.pg_get_viewdef(r.ev_class),
                                                  'k\.hub_schema = ''((?:[^'']|'''')*)''::name') AS m
            FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class v ON v.oid OPERATOR(pg_catalog.=) r.ev_class
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) v.relnamespace
            JOIN pg_catalog.pg_depend dk ON dk.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                 AND dk.objid OPERATOR(pg_catalog.=) r.oid
                 AND dk.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                 AND dk.refobjid OPERATOR(pg_catalog.=) '@extschema@.pseudonym_key'::pg_catalog.regclass
            JOIN pg_catalog.pg_depend dt ON dt.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                 AND dt.objid OPERATOR(pg_catalog.=) r.oid
                 AND dt.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
            JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) dt.refobjid
           WHERE c.relnamespace OPERATOR(pg_catalog.=) pg_catalog.to_regnamespace(pg_catalog.quote_ident(hub))) x
   WHERE x.m IS NOT NULL AND pg_catalog.replace(x.m[1], '''''', '''') OPERATOR(pg_catalog.<>) hub
   ORDER BY 1, 2 LIMIT 1
$$;
COMMENT ON FUNCTION @extschema@._hub_views_key_name(name) IS
  'internal: the name, other than its present one, of the hub whose pseudonym key the pseudonymised views of a hub''s tables use (the hub was renamed since they were made), and the views'' schema; NULLs when none';

CREATE FUNCTION @extschema@._pseudonym_key(hub_schema name) RETURNS bytea
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k bytea;
  k_id oid;
  was record;
  v_id oid := pg_catalog.to_regclass(pg_catalog.format('%I.agents', hub_schema))::pg_catalog.oid;
BEGIN
  SELECT p.key, p.hub_id::pg_catalog.oid INTO k, k_id FROM @extschema@.pseudonym_key p WHERE p.hub_schema = _pseudonym_key.hub_schema;
  -- the key of the schema it was drawn for: a schema created under the name of a renamed or
  -- dropped hub must get none of its pseudonyms (its owner would read, in the rows an erasure
  -- pseudonymises, the hub's pseudonym of any identifier it chose)
  IF k IS NOT NULL AND k_id IS DISTINCT FROM v_id THEN
    RAISE EXCEPTION 'the pseudonym key of "%" belongs to another schema', hub_schema
      USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It was drawn for the schema %s, renamed or dropped since; schema "%s" is another one.',
                       coalesce((SELECT pg_catalog.format('now named "%s"', n.nspname) FROM pg_catalog.pg_class t
                                   JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.relnamespace
                                  WHERE t.oid OPERATOR(pg_catalog.=) k_id),
                                pg_catalog.format('whose agents table had OID %s', k_id)), hub_schema),
            HINT = pg_catalog.format('For a renamed hub, move the key to its new name (UPDATE smartregion.pseudonym_key SET hub_schema = ... WHERE hub_schema = %L); for a dropped hub, delete the row before a new hub of that name draws its own key.', hub_schema);
  END IF;
  IF k IS NULL THEN
    -- a renamed hub: a new key would give its subjects other pseudonyms than those its
    -- views, the analysts and the record of requests hold (docs/platform.md)
    SELECT * INTO was FROM @extschema@._hub_views_key_name(hub_schema);
    IF was.key_name IS NOT NULL
       AND EXISTS (SELECT 1 FROM @extschema@.pseudonym_key p WHERE p.hub_schema = was.key_name) THEN
      RAISE EXCEPTION 'hub "%" has no pseudonym key, but its pseudonymised views use the key of "%"', hub_schema, was.key_name
        USING ERRCODE = '55000',
              DETAIL = 'The hub was renamed since its views were made: a new key would give its subjects other pseudonyms than those the analysts and the record of requests hold.',
              HINT = pg_catalog.format('Move the key to the hub''s name (UPDATE smartregion.pseudonym_key SET hub_schema = %L WHERE hub_schema = %L), then remake the views (smartregion.create_pseudonymised_views(%L, %L)); to draw a new key instead, delete that row first.',
                                       hub_schema, was.key_name, hub_schema, was.view_schema);
    END IF;
    EXECUTE pg_catalog.format('SELECT %I.gen_random_bytes(32)', @extschema@._pgcrypto_schema()) INTO k;
    INSERT INTO @extschema@.pseudonym_key (hub_schema, key, hub_id) VALUES (hub_schema, k, v_id::pg_catalog.regclass)
    ON CONFLICT ON CONSTRAINT pseudonym_key_pkey DO NOTHING;
    SELECT p.key INTO k FROM @extschema@.pseudonym_key p WHERE p.hub_schema = _pseudonym_key.hub_schema;
  END IF;
  RETURN k;
END
$$;
COMMENT ON FUNCTION @extschema@._pseudonym_key(name) IS
  'internal: the pseudonym key of a hub, drawn (32 random bytes from pgcrypto) on first use; refused (55000) for a hub renamed since its pseudonymised views were made, whose key is under its old name, and for a schema created under the name of the renamed or dropped hub the key was drawn for';

-- A pseudonym verifies (2026-12-07, h6): 'pseudo:', the first 48 hexadecimal digits (192 bits)
-- of HMAC-SHA-256(value, key), then its seal, the first 16 digits of HMAC-SHA-256(a zero byte
-- and those 48 digits, key).  Only a role that reads the hub's key can make one: a value a
-- writer stores in the form ('pseudo:' and anything) does not verify, and the erasures and the
-- retention pass take it for the identifier it is.  Before, every value beginning with 'pseudo:' was taken for a pseudonym,
-- never pseudonymised, and kept for good (docs/governance.md, "Pseudonyms that verify").
CREATE FUNCTION @extschema@._pseudonym_seal_sql(digits text, legacy boolean DEFAULT false) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- (a zero byte first: the UTF8 of a text value never holds one, so no pseudonym, which an
  -- analyst reads and a writer chooses the value of, is ever the HMAC of a seal's input.
  -- The legacy seal, which seal_legacy_pseudonyms gives an earlier build's pseudonym, has the
  -- byte 1 instead (2026-12-08, h11): another seal, which the analysts' views do not pass
  -- through, since a writer's look-alike of the earlier form gets it too)
  SELECT pg_catalog.format('pg_catalog.left(pg_catalog.encode(%1$I.hmac(''\x%3$s''::pg_catalog.bytea OPERATOR(pg_catalog.||) pg_catalog.convert_to(%2$s, ''UTF8''), '
                           'k.key, ''sha256''), ''hex''), 16)',
                           @extschema@._pgcrypto_schema(), digits, CASE WHEN legacy THEN '01' ELSE '00' END)
$$;
COMMENT ON FUNCTION @extschema@._pseudonym_seal_sql(text, boolean) IS
  'internal: SQL text of the seal of a pseudonym (16 hexadecimal digits of HMAC-SHA-256 of a zero byte and its 48 digits under the hub''s key: no text value''s pseudonym is one; with legacy, of the byte 1 and the digits: the seal seal_legacy_pseudonyms gives an earlier build''s pseudonym), given an SQL text expression of the 48 digits, for a query that joins the hub''s pseudonym key as k';

CREATE FUNCTION @extschema@._pseudonym_verify_sql(expr text, legacy_too boolean DEFAULT false) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- (the form first: a value that is not 71 characters beginning with 'pseudo:' costs no HMAC;
  -- no regular expression: on a pseudonym, '^pseudo:[0-9a-f]{64}$' cost more than the HMAC, and
  -- a seal that matches is 16 hexadecimal digits, of whatever 48 characters precede it.
  -- With legacy_too, a value kept as a pseudonym (the erasures, the retention pass, the
  -- append-only triggers): its seal or, failing it, the legacy seal, in that order (a CASE,
  -- whose order is kept), so that a pseudonym of this build costs one HMAC, as before)
  SELECT pg_catalog.format('(pg_catalog.length(%1$s) OPERATOR(pg_catalog.=) 71 AND pg_catalog.left(%1$s, 7) OPERATOR(pg_catalog.=) ''pseudo:'' AND %2$s)',
                           v, CASE WHEN legacy_too
                                   THEN pg_catalog.format('CASE WHEN %1$s THEN true ELSE %2$s END', seal, legacy)
                                   ELSE seal END)
    FROM (SELECT pg_catalog.format('(%s)::pg_catalog.text', expr) AS v) d,
         -- (the stored seal compared with the seal of the digits, and with the legacy seal)
         LATERAL (SELECT pg_catalog.format('pg_catalog.substr(%s, 56, 16) OPERATOR(pg_catalog.=) %s', v,
                                           @extschema@._pseudonym_seal_sql(pg_catalog.format('pg_catalog.substr(%s, 8, 48)', v))) AS seal,
                         pg_catalog.format('pg_catalog.substr(%s, 56, 16) OPERATOR(pg_catalog.=) %s', v,
                                           @extschema@._pseudonym_seal_sql(pg_catalog.format('pg_catalog.substr(%s, 8, 48)', v), true)) AS legacy) c
$$;
COMMENT ON FUNCTION @extschema@._pseudonym_verify_sql(text, boolean) IS
  'internal: SQL condition, for a query that joins the hub''s pseudonym key as k, true when an expression is a pseudonym of the hub that verifies (its seal matches its digits under the key; with legacy_too, its seal or the legacy seal seal_legacy_pseudonyms gives, checked in that order: a value the erasures keep), false for any other value (a look-alike a writer stored), NULL for NULL';

CREATE FUNCTION @extschema@._pseudonym_sql(expr text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- A value that is a pseudonym of the hub already, one whose seal verifies, is its own
  -- pseudonym (2026-12-08, h7): the analysts' views over a column an erasure pseudonymised
  -- showed the pseudonym of that pseudonym, another value than the person's pseudonym on
  -- their rows not erased (one person, two pseudonyms).  A value of another form costs no
  -- HMAC for this (_pseudonym_verify_sql checks the form first); one of the form, the seal
  -- that verifies it.  A writer's look-alike does not verify, and gets its pseudonym; so does
  -- a value with the legacy seal of seal_legacy_pseudonyms (2026-12-08, h11: a writer's
  -- look-alike of the earlier form may hold it, 24 bytes of its choice).
  -- The 48 digits' HMAC computed once, in a scalar subquery of one row, and read twice (the
  -- digits and their seal's input).  Until 2026-12-07 (h2) the expression wrote it twice, to
  -- spare the analysts' views a subplan per row: three HMACs a row where two do, and the
  -- subplan costs less than the HMAC it spares (docs/performance.md#the-digits-once).  OFFSET
  -- 0 keeps the planner from pulling the inner subquery up, which would substitute the
  -- digits' expression at both places again.  A scalar subquery, not a LATERAL join: the
  -- expression stays one, so a view's CASE and a column the query does not read still cost
  -- no HMAC, and the UPDATE of an erasure takes it as it is.  The aliases are the helper's
  -- own; k is the caller's key, expr the caller's expression (a column or a parameter: it is
  -- read up to five times), both read from the outer query.
  SELECT pg_catalog.format('(CASE WHEN %1$s THEN (%2$s)::pg_catalog.text '
                           'ELSE (SELECT ''pseudo:'' OPERATOR(pg_catalog.||) sr_digits.h OPERATOR(pg_catalog.||) %3$s '
                           'FROM (SELECT %4$s AS h OFFSET 0) sr_digits) END)',
                           @extschema@._pseudonym_verify_sql(expr), expr,
                           @extschema@._pseudonym_seal_sql('sr_digits.h'),
                           pg_catalog.format('pg_catalog.left(pg_catalog.encode(%I.hmac(pg_catalog.convert_to((%s)::pg_catalog.text, ''UTF8''), k.key, ''sha256''), ''hex''), 48)',
                                             @extschema@._pgcrypto_schema(), expr))
$$;
COMMENT ON FUNCTION @extschema@._pseudonym_sql(text) IS
  'internal: SQL text of the pseudonym of an expression (''pseudo:'', 48 hexadecimal digits of its HMAC-SHA-256 under the hub''s key, 16 of their seal), a scalar subquery computing the digits once; a value that is already a pseudonym of the hub (its seal verifies) is its own, so that no pseudonym is pseudonymised again (not one with the legacy seal, which a look-alike may hold: it gets its pseudonym); for a query that joins the hub''s pseudonym key as k';

CREATE FUNCTION @extschema@._pseudonym_verifies(value text, hub_schema name) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r boolean;
BEGIN
  -- false, not an error, for a caller that cannot read the key (the append-only triggers
  -- ask it on the erasures' path only, whose callers read it) and for a hub without one
  IF value IS NULL OR value OPERATOR(pg_catalog.!~) '^pseudo:[0-9a-f]{64}$'
     OR NOT pg_catalog.has_table_privilege('@extschema@.pseudonym_key', 'SELECT') THEN
    RETURN false;
  END IF;
  EXECUTE pg_catalog.format('SELECT %s FROM @extschema@.pseudonym_key k WHERE k.hub_schema OPERATOR(pg_catalog.=) $2',
                            @extschema@._pseudonym_verify_sql('$1', true))
    INTO r USING value, hub_schema;
  RETURN coalesce(r, false);
END
$$;
COMMENT ON FUNCTION @extschema@._pseudonym_verifies(text, name) IS
  'internal: true when a value is kept as a pseudonym of the hub: it verifies under its key (''pseudo:'', 48 digits and their seal, or the legacy seal seal_legacy_pseudonyms gives, checked second); false for anything else, a look-alike a writer stored, a hub without a key, or a caller that cannot read the key';

CREATE FUNCTION @extschema@.pseudonym(value text, hub_schema name DEFAULT 'hub') RETURNS text
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- the hub names the key, it is no value computed on: a NULL hub is an error (22004);
  -- a NULL value is a computation's NULL in, NULL out (below, as hmac() does)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  r text;
BEGIN
  -- a key is drawn on first use: not for a schema that does not exist (a misspelt hub
  -- would get a key of its own, and pseudonyms matching nothing)
  IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(hub_schema)) IS NULL THEN
    RAISE EXCEPTION 'schema "%" does not exist', hub_schema
      USING ERRCODE = '3F000', HINT = 'Give the schema of a hub (smartregion.create_hub()).';
  END IF;
  IF pg_catalog.to_regclass(pg_catalog.format('%I.agents', hub_schema)) IS NULL THEN
    RAISE EXCEPTION 'schema "%" has no hub', hub_schema
      USING ERRCODE = '42P01', HINT = 'Give the schema of a hub (smartregion.create_hub()).';
  END IF;
  IF value IS NULL THEN
    RETURN NULL;   -- (no key drawn for it)
  END IF;
  EXECUTE pg_catalog.format('SELECT %s FROM (SELECT $1 AS key) k', @extschema@._pseudonym_sql('$2'))
    INTO r USING @extschema@._pseudonym_key(hub_schema), value;
  RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@.pseudonym(text, name) IS
  'the keyed pseudonym of an identifier in a hub (''pseudo:'', the first 48 hex digits of its HMAC-SHA-256 under the hub''s secret key and 16 of their seal, which only the key verifies), as the pseudonymised views and erasures write it; needs the key, so only the platform administrator can compute it; NULL for a NULL value, 22004 for a NULL hub_schema';

-- Dropping a hub ----------------------------------------------------------------------------
-- A hub is a schema, and two registers of the extension's schema hold a row of it, bound to
-- its identity (hub_id, its agents table): its catalogue and its pseudonym key.  DROP SCHEMA
-- cannot remove them (the rows name the hub; the extension's schema is not the hub's), so a
-- hub dropped by hand left them: a new hub of the name got neither (55000), and the key of
-- the dropped hub's pseudonyms stayed.  drop_hub removes them with the schema; the rows of a
-- hub dropped by hand are listed by dropped_hubs and removed by forget_dropped_hubs: those
-- whose identity no longer exists (a renamed hub's rows still have theirs, and are moved,
-- not forgotten).  No event trigger: it would run at every DROP of every role, and the
-- rows are harmless until a hub takes the name again, which the 55000 then says.  The
-- provenance and the record of requests stay: records of what was done, as those of a
-- dropped table.  drop_hub also deletes the hub's statistical secrecy rules
-- (hub_secrecy_rules, 66-secrecy-rules.sql), after the schema; dropped_hubs does not list
-- those of a hub dropped by hand (the platform administrator deletes the row: docs/zones.md).
CREATE FUNCTION @extschema@.dropped_hubs()
RETURNS TABLE (register text, hub_schema name, hub_id oid)
LANGUAGE sql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT x.register, x.hub_schema, x.hub_id
    FROM (SELECT 'smartregion.catalog'::pg_catalog.text AS register, c.hub_schema, c.hub_id::pg_catalog.oid AS hub_id
            FROM @extschema@.catalog c
          UNION ALL
          SELECT 'smartregion.pseudonym_key', k.hub_schema, k.hub_id::pg_catalog.oid
            FROM @extschema@.pseudonym_key k) x
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class t WHERE t.oid OPERATOR(pg_catalog.=) x.hub_id)
   ORDER BY x.hub_schema, x.register
$$;
COMMENT ON FUNCTION @extschema@.dropped_hubs() IS
  'the rows of the catalogue and of the pseudonym keys whose hub was dropped (its identity, the agents table of hub_id, no longer exists: DROP SCHEMA by hand leaves them; drop_hub does not): register, hub name, the dropped identity''s OID; a renamed hub''s rows are not listed (they still have their hub); reads the keys'' table, so the platform administrator''s';

CREATE FUNCTION @extschema@.forget_dropped_hubs()
RETURNS TABLE (register text, hub_schema name, hub_id oid)
LANGUAGE sql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  WITH c AS (
    DELETE FROM @extschema@.catalog c
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class t WHERE t.oid OPERATOR(pg_catalog.=) c.hub_id::pg_catalog.oid)
    RETURNING 'smartregion.catalog'::pg_catalog.text AS register, c.hub_schema, c.hub_id::pg_catalog.oid AS hub_id
  ), k AS (
    DELETE FROM @extschema@.pseudonym_key k
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class t WHERE t.oid OPERATOR(pg_catalog.=) k.hub_id::pg_catalog.oid)
    RETURNING 'smartregion.pseudonym_key'::pg_catalog.text AS register, k.hub_schema, k.hub_id::pg_catalog.oid AS hub_id
  )
  SELECT * FROM (SELECT * FROM c UNION ALL SELECT * FROM k) x ORDER BY x.hub_schema, x.register
$$;
COMMENT ON FUNCTION @extschema@.forget_dropped_hubs() IS
  'deletes the rows dropped_hubs lists (the catalogue and pseudonym key of hubs dropped by hand, whose identity no longer exists), so that a new hub of the name configures its catalogue and draws its own key; the dropped hub''s pseudonyms become unlinkable; returns the rows deleted; as the caller (the platform administrator''s rights on the registers)';

CREATE FUNCTION @extschema@.drop_hub(target_schema name)
RETURNS TABLE (register text, hub_schema name, hub_id oid)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('target_schema', target_schema);
  v_id pg_catalog.oid;
BEGIN
  -- a schema with a hub only (3F000: no such schema; 42P01: a schema that has no hub,
  -- which this function never drops)
  v_id := @extschema@._catalog_schema_id(target_schema)::pg_catalog.oid;
  -- the rows bound to this hub, under whatever name they are (a hub renamed, its rows
  -- not moved); first, so that a caller without the rights on the registers drops nothing
  RETURN QUERY
    WITH c AS (
      DELETE FROM @extschema@.catalog c WHERE c.hub_id::pg_catalog.oid OPERATOR(pg_catalog.=) v_id
      RETURNING 'smartregion.catalog'::pg_catalog.text AS register, c.hub_schema, c.hub_id::pg_catalog.oid AS hub_id
    ), k AS (
      DELETE FROM @extschema@.pseudonym_key k WHERE k.hub_id::pg_catalog.oid OPERATOR(pg_catalog.=) v_id
      RETURNING 'smartregion.pseudonym_key'::pg_catalog.text AS register, k.hub_schema, k.hub_id::pg_catalog.oid AS hub_id
    )
    SELECT x.register, x.hub_schema, x.hub_id FROM (SELECT * FROM c UNION ALL SELECT * FROM k) x ORDER BY 2, 1;
  -- the events of the history written earlier in the transaction fire now: a table with
  -- pending trigger events cannot be dropped (55006)
  PERFORM @extschema@._hub_fire_deferred(target_schema);
  -- the schema and all it holds, and what depends on it elsewhere (the analysts'
  -- pseudonymised views of its tables); as the caller: its owner or a superuser (42501)
  EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', target_schema);
  -- its statistical secrecy rules (66-secrecy-rules.sql), after the schema: while the
  -- hub held zones its set could not be deleted (55000), and once its agents table is
  -- gone the set has no hub (its guard lets the platform administrator delete it).  Left,
  -- the row would name a dropped table, dumped as a bare OID that a restore could give
  -- to another table
  RETURN QUERY
    DELETE FROM @extschema@.hub_secrecy_rules s WHERE s.hub_id::pg_catalog.oid OPERATOR(pg_catalog.=) v_id
    RETURNING 'smartregion.hub_secrecy_rules'::pg_catalog.text, s.hub_schema, s.hub_id::pg_catalog.oid;
END
$$;
COMMENT ON FUNCTION @extschema@.drop_hub(name) IS
  'drops a hub: its schema with CASCADE (the analysts'' views of its tables with it; the pending events of its history fired first) its rows in the catalogue and the pseudonym keys (bound to it: under its present or an earlier name), then its secrecy rules (hub_secrecy_rules, deleted once the schema is gone, even after the hub held zones), which DROP SCHEMA alone leaves (dropped_hubs, forget_dropped_hubs); 3F000 for no such schema, 42P01 for a schema with no hub, 22004 for a NULL target_schema; as the caller: the schema''s owner or a superuser, with the platform administrator''s rights on the registers; the provenance and the record of requests stay; returns the register rows deleted';

-- Requests of data subjects and erasures ------------------------------------------------------
CREATE TABLE @extschema@.subject_request_log (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hub_schema        name NOT NULL,
  request           text NOT NULL CONSTRAINT subject_request_log_request_check CHECK (request IN
                      ('access', 'erasure', 'consent_withdrawn', 'retention')),
  subject_pseudonym text,
  table_name        name,
  column_name       name,
  action            text NOT NULL CONSTRAINT subject_request_log_action_check CHECK (action IN
                      ('exported', 'deleted', 'pseudonymised', 'cleared', 'kept', 'none')),
  rows              bigint NOT NULL DEFAULT 0,
  reason            text,
  done_by           name NOT NULL DEFAULT CURRENT_USER,
  done_at           timestamptz NOT NULL DEFAULT pg_catalog.now(),
  -- the territory a request was limited to (subject_export's and subject_erase's
  -- territory_code and territory_type, as given), or a withdrawn consent's; NULL for a
  -- request of the whole hub, a retention purge, and the lines recorded before the columns
  territory_code    text,
  territory_type    text
);
COMMENT ON TABLE @extschema@.subject_request_log IS
  'record of the data subjects'' requests (access, erasure), consent withdrawals and retention purges: what was exported, deleted, pseudonymised or kept (and why), by whom and when, and the territory a request by territory or a withdrawn consent was limited to; the subject is recorded by pseudonym only';
COMMENT ON COLUMN @extschema@.subject_request_log.territory_code IS
  'the territory a request was limited to (subject_export''s and subject_erase''s territory_code), or the territory of the consent withdrawn; NULL when the request covered the whole hub (a person held under a function, such as maire, is found in every territory then), for a retention purge, and on lines recorded before this column';
COMMENT ON COLUMN @extschema@.subject_request_log.territory_type IS
  'the territory type given with territory_code (commune, epci, departement, region), or the consent''s; NULL when none was given (every territory of that code)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subject_request_log', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subject_request_log_id_seq', '');
REVOKE ALL ON @extschema@.subject_request_log FROM PUBLIC;

-- the registered columns of a hub's existing tables
CREATE FUNCTION @extschema@._personal_columns(hub_schema name)
RETURNS SETOF @extschema@.personal_data
LANGUAGE sql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.* FROM @extschema@.personal_data p
   WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub_schema, p.table_name))
                    AND a.attname = p.column_name AND NOT a.attisdropped)
   ORDER BY p.table_name, p.column_name
$$;
COMMENT ON FUNCTION @extschema@._personal_columns(name) IS
  'internal: the rows of the personal-data register whose column exists in the given hub';

CREATE FUNCTION @extschema@._erasure_action(erasure text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE erasure WHEN 'delete' THEN 'deleted' WHEN 'clear' THEN 'cleared' ELSE 'pseudonymised' END $$;
COMMENT ON FUNCTION @extschema@._erasure_action(text) IS
  'internal: what an erasure of the register does, as subject_request_log records it (delete: deleted, pseudonymise: pseudonymised, clear: cleared)';

-- Mentions in free text ------------------------------------------------------------------------
-- A free_text column of the register names persons in its text, not in an identifier column:
-- the data subjects' requests search it for the identifier as whole words, whatever the case
-- and the accents (docs/governance.md, "Mentions in free text").
CREATE FUNCTION @extschema@._fold_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- compatibility decomposition (NFKD) and its combining marks dropped: é -> e, Ç -> C, ﬁ -> fi,
  -- no-break spaces -> spaces; then the letters that do not decompose; then lower case (in the
  -- C locale lower() only folds ASCII: hence the accents first).  Unicode normalisation needs
  -- a UTF8 database; another encoding gets case folding only (a database's encoding never
  -- changes: the function is immutable all the same).
  SELECT pg_catalog.lower(pg_catalog.translate(
           pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
             CASE WHEN pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.=) 'UTF8'
                  THEN pg_catalog.regexp_replace(pg_catalog.normalize(value, 'NFKD'), '[\u0300-\u036f]', '', 'g')
                  ELSE value END,
             'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe'), 'Œ', 'OE'), 'ß', 'ss'),
           'øØłŁđĐ', 'oOlLdD'))
$$;
COMMENT ON FUNCTION @extschema@._fold_text(text) IS
  'internal: text folded for the search of mentions: accents dropped (Unicode NFKD without its combining marks, in a UTF8 database), æ œ ß ø ł đ spelt in ASCII, lower case';

CREATE FUNCTION @extschema@._mention_pattern(identifier text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- the folded identifier as a regular expression matching it as whole words: every
  -- character but letters, digits and spaces escaped (a name with "." or "(" is
  -- literal), a run of spaces matching any run of white space, and no letter, digit
  -- or "_" right before or after it ("Durand" is not in "Durandal")
  SELECT CASE WHEN pg_catalog.length(pg_catalog.regexp_replace(f, '[[:space:][:punct:]]', '', 'g')) OPERATOR(pg_catalog.>=) 3 THEN
           '(?<![[:alnum:]_])'
           OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(pg_catalog.regexp_replace(f, '([^[:alnum:][:space:]])', '\\\1', 'g'),
                                                             '[[:space:]]+', '[[:space:]]+', 'g')
           OPERATOR(pg_catalog.||) '(?![[:alnum:]_])' END
    FROM (SELECT pg_catalog.regexp_replace(@extschema@._fold_text(identifier), '^[[:space:]]+|[[:space:]]+$', '', 'g') AS f) s
$$;
COMMENT ON FUNCTION @extschema@._mention_pattern(text) IS
  'internal: the regular expression of an identifier''s mentions in folded text (_fold_text): whole words, metacharacters escaped, any white space between words; NULL when the identifier has fewer than 3 characters that are neither spaces nor punctuation (too short to name anybody)';

CREATE FUNCTION @extschema@._mention_sql(column_name name, pattern text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format('@extschema@._fold_text(t.%I::pg_catalog.text) OPERATOR(pg_catalog.~) %L', column_name, pattern)
$$;
COMMENT ON FUNCTION @extschema@._mention_sql(name, text) IS
  'internal: SQL condition, over a hub table aliased t, of the rows whose free-text column mentions the identifier of a _mention_pattern';

CREATE FUNCTION @extschema@._row_key_sql(hub_schema name, table_name name, column_name name) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  -- its primary key as a jsonb object; a table without one: the row without the column
  SELECT coalesce(
    (SELECT 'pg_catalog.jsonb_build_object(' OPERATOR(pg_catalog.||)
            pg_catalog.string_agg(pg_catalog.format('%L, t.%I', a.attname, a.attname), ', ' ORDER BY k.ord) OPERATOR(pg_catalog.||) ')'
       FROM pg_catalog.pg_index i
            CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, ord)
            JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid AND a.attnum OPERATOR(pg_catalog.=) k.attnum
      WHERE i.indrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub_schema, table_name))
        AND i.indisprimary),
    pg_catalog.format('(pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.-) %L)', column_name))
$$;
COMMENT ON FUNCTION @extschema@._row_key_sql(name, name, name) IS
  'internal: SQL expression, over a hub table aliased t, of a row''s key as jsonb: its primary key columns, or the row without the given column when the table has no primary key';

CREATE FUNCTION @extschema@._erase_rows(hub_schema name, p @extschema@.personal_data, cond text, request text,
                                        subject text DEFAULT NULL, territory_code text DEFAULT NULL,
                                        territory_type text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;
  direct text;
  filter text := pg_catalog.format('(%s) AND (%s)', cond, coalesce(p.subject_filter, 'true'));
BEGIN
  IF p.erasure = 'delete' THEN
    EXECUTE pg_catalog.format('DELETE FROM %I.%I t WHERE %s', hub_schema, p.table_name, filter) USING subject;
    GET DIAGNOSTICS n = ROW_COUNT;
  ELSIF p.erasure = 'clear' THEN
    -- clear: the column is emptied, the row kept (free text about people in a row
    -- that is not about them: a self-diagnosis's comments).  For the time of the UPDATE the
    -- transaction's setting smartregion_erasure.column names the column cleared, so that an
    -- append-only table's trigger lets this clearing through and nothing else (tl_history's
    -- reason: _tl_history_append_only); an error undoes the setting with the rest
    PERFORM pg_catalog.set_config('smartregion_erasure.column',
                                  pg_catalog.format('%I.%I.%I', hub_schema, p.table_name, p.column_name), true);
    EXECUTE pg_catalog.format('UPDATE %1$I.%2$I t SET %3$I = NULL WHERE %4$s AND t.%3$I IS NOT NULL',
                              hub_schema, p.table_name, p.column_name, filter) USING subject;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM pg_catalog.set_config('smartregion_erasure.column', '', true);
  ELSE
    -- pseudonymise: the identifier becomes its pseudonym, other direct identifiers of the row
    -- are cleared, and its free text (which may name the person)
    SELECT pg_catalog.string_agg(pg_catalog.format(', %I = NULL', d.column_name), '' ORDER BY d.column_name) INTO direct
      FROM @extschema@.personal_data d WHERE d.table_name = p.table_name AND d.kind IN ('direct', 'quasi', 'free_text');
    -- (the column named in smartregion_erasure.column for the time of the UPDATE, as a
    -- clearing's: tl_history's actor is pseudonymised in an append-only table)
    PERFORM pg_catalog.set_config('smartregion_erasure.column',
                                  pg_catalog.format('%I.%I.%I', hub_schema, p.table_name, p.column_name), true);
    -- (a value already pseudonymised is left as it is: one that verifies under the key, its
    -- seal or the legacy seal of seal_legacy_pseudonyms, not any beginning with 'pseudo:',
    -- which a writer may store; _pseudonym_sql would keep the first too, but the row would be
    -- rewritten and counted, and would pseudonymise a legacy-sealed one.  A pseudonym costs
    -- 1 HMAC, a legacy-sealed one 2; a look-alike of the form its two seals here and the seal
    -- in _pseudonym_sql's check before its pseudonym's 2: 5 HMACs (4 before 2026-12-08, h11),
    -- 2 for any other value)
    EXECUTE pg_catalog.format('UPDATE %1$I.%2$I t SET %3$I = %4$s%5$s FROM (SELECT $2 AS key) k WHERE %6$s AND t.%3$I IS NOT NULL AND NOT %7$s',
                              hub_schema, p.table_name, p.column_name,
                              @extschema@._pseudonym_sql(pg_catalog.format('t.%I', p.column_name)),
                              coalesce(direct, ''), filter,
                              @extschema@._pseudonym_verify_sql(pg_catalog.format('t.%I', p.column_name), true))
      USING subject, @extschema@._pseudonym_key(hub_schema);
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM pg_catalog.set_config('smartregion_erasure.column', '', true);
  END IF;
  IF n = 0 THEN
    RETURN 0;
  END IF;
  INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason,
                                               territory_code, territory_type)
  VALUES (hub_schema, request, CASE WHEN subject IS NOT NULL THEN @extschema@.pseudonym(subject, hub_schema) END,
          p.table_name, p.column_name, @extschema@._erasure_action(p.erasure), n,
          CASE WHEN request = 'retention' THEN pg_catalog.format('retention period of %s over', p.retention)
               WHEN request = 'consent_withdrawn' THEN pg_catalog.format('consent to "%s" withdrawn', p.consent_purpose)
               WHEN p.kind = 'free_text' THEN 'erasure requested by the data subject (GDPR art. 17): free text mentioning them'
               ELSE 'erasure requested by the data subject (GDPR art. 17)' END,
          _erase_rows.territory_code, _erase_rows.territory_type);
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._erase_rows(name, @extschema@.personal_data, text, text, text, text, text) IS
  'internal: deletes or pseudonymises the rows, or clears the column (as registered; a clearing or pseudonymisation names its column in the setting smartregion_erasure.column for the time of its UPDATE), of a registered column matching a condition ($1 is the subject), and records it in subject_request_log when there were any, with the territory the request was limited to (territory_code, territory_type: recorded, not applied; cond restricts the rows)';

-- Who controls the code that runs, with the caller's rights, when a function of the
-- extension reads or writes a hub.  The governance functions, tl_expire and the functions
-- agents call to write their rows run as their caller: whatever is attached to the hub's tables runs with the caller's rights — row
-- triggers and statement triggers, rules, column defaults and generated columns, check
-- constraints, the expressions of row-level security policies and of indexes, the checks of
-- the domains its columns are typed with, and the functions all these call.  Whoever controls
-- one of them can make the caller run its code.  Listed here, per role, the first reason:
--   1. the owner of the hub's schema (it may drop and re-create any relation in it);
--   2. the owner of each relation of the schema, of their partitions and inheritance
--      children (a DELETE on a parent reaches them, and fires their triggers);
--   3. every role granted TRIGGER on one of them (PUBLIC included: role 0);
--   4. the owner of each function, operator or domain those objects depend on (pg_depend:
--      its owner may replace its body at any time, CREATE OR REPLACE);
--   5. the owner of the function of each enabled event trigger of the database: an event
--      trigger belongs to a superuser, its function need not, and it runs as the caller on
--      the DDL of the call (create_pseudonymised_views) or of the hub's triggers (before,
--      review of 2026-12-06: a superuser's create_pseudonymised_views ran a function of an
--      agent 94 times with the superuser's rights).
-- Given a caller, only the roles that do not hold its rights, the objects named only for them.
-- Sound as far as pg_depend sees: a PL/pgSQL body's calls by name are not recorded, so a
-- function trusts whom it calls (as any PostgreSQL function does); the extension's own tables
-- (provenance, subject_request_log), which its triggers write, and event triggers belong to
-- superusers.  Cheap enough for functions run once per request or per job: catalogue lookups
-- over the hub's relations only, no scan of the database (15 ms on a fresh hub of 29 tables,
-- 143 controls, on the 2-core test machine under load; 60 ms for a session's first call,
-- which plans the query; _hub_code_guard runs it only when _hub_code_clear, the same walk in C,
-- finds a role: on the demo hub a session's first guard 135 -> 41 ms, the next 15.8 -> 3.9 ms).
-- Foreign keys' cascades are left out: PostgreSQL runs them as the
-- referencing table's owner, not as the caller.
CREATE FUNCTION @extschema@._hub_code_controllers(hub_schema name, caller name DEFAULT NULL)
RETURNS TABLE (role_id oid, what text, fix text, ord int)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (PL/pgSQL for its plan, kept for the session: planning this query costs as much as running it)
  RETURN QUERY
  WITH RECURSIVE
  nsp AS (SELECT n.oid, n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) hub_schema),
  rels AS (
    SELECT c.oid FROM pg_catalog.pg_class c JOIN nsp ON c.relnamespace OPERATOR(pg_catalog.=) nsp.oid
     WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f}'::"char"[])
    UNION
    SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN rels r ON i.inhparent OPERATOR(pg_catalog.=) r.oid),
  -- the objects attached to those relations whose expressions run as the caller (named, by
  -- pg_describe_object, only when reported: naming all of them costs more than the check)
  attached AS (
    SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass AS classid, t.oid AS objid
      FROM pg_catalog.pg_trigger t JOIN rels r ON t.tgrelid OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, w.oid
      FROM pg_catalog.pg_rewrite w JOIN rels r ON w.ev_class OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, p.oid
      FROM pg_catalog.pg_policy p JOIN rels r ON p.polrelid OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, d.oid
      FROM pg_catalog.pg_attrdef d JOIN rels r ON d.adrelid OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, c.oid
      FROM pg_catalog.pg_constraint c JOIN rels r ON c.conrelid OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, i.indexrelid
      FROM pg_catalog.pg_index i JOIN rels r ON i.indrelid OPERATOR(pg_catalog.=) r.oid),
  -- the domains the columns are typed with, and the domains those are over: their checks
  domains AS (
    SELECT t.oid, a.attrelid, a.attname FROM pg_catalog.pg_attribute a JOIN rels r ON a.attrelid OPERATOR(pg_catalog.=) r.oid
      JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid AND t.typtype OPERATOR(pg_catalog.=) 'd'
     WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
    UNION
    SELECT b.oid, d.attrelid, d.attname FROM domains d JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) d.oid
      JOIN pg_catalog.pg_type b ON b.oid OPERATOR(pg_catalog.=) t.typbasetype AND b.typtype OPERATOR(pg_catalog.=) 'd'),
  -- what those objects and the domains' constraints call: functions, and operators (theirs)
  code AS (
    SELECT d.refclassid, d.refobjid, x.classid, x.objid
      FROM attached x JOIN pg_catalog.pg_depend d
        ON d.classid OPERATOR(pg_catalog.=) x.classid AND d.objid OPERATOR(pg_catalog.=) x.objid
    UNION ALL
    SELECT d.refclassid, d.refobjid, d.classid, d.objid
      FROM (SELECT DISTINCT dm.oid FROM domains dm) dm JOIN pg_catalog.pg_constraint c ON c.contypid OPERATOR(pg_catalog.=) dm.oid
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass
                                 AND d.objid OPERATOR(pg_catalog.=) c.oid),
  functions AS (
    SELECT c.refobjid AS fn, c.classid, c.objid FROM code c
     WHERE c.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
    UNION ALL
    SELECT o.oprcode::pg_catalog.oid, c.classid, c.objid FROM code c JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) c.refobjid
     WHERE c.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass),
  -- every controlling role, with where its control is; with a caller, only the roles that do
  -- not hold its rights (PUBLIC never does)
  controls AS (
    SELECT nsp.nspowner AS role_id, 1 AS ord, 0::pg_catalog.oid AS classid, 0::pg_catalog.oid AS objid, 0::pg_catalog.oid AS extra, NULL::name AS col
      FROM nsp
    UNION ALL
    SELECT c.relowner, 2, 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0, NULL
      FROM rels r JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.oid
    UNION ALL
    SELECT a.grantee, 3, 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0, NULL
      FROM rels r JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.oid,
           pg_catalog.aclexplode(c.relacl) a
     WHERE a.privilege_type OPERATOR(pg_catalog.=) 'TRIGGER'
    UNION ALL
    SELECT p.proowner, 4, f.classid, f.objid, p.oid, NULL
      FROM functions f JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) f.fn
    UNION ALL
    SELECT o.oprowner, 5, c.classid, c.objid, o.oid, NULL
      FROM code c JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) c.refobjid
     WHERE c.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass
    UNION ALL
    SELECT t.typowner, 6, 'pg_catalog.pg_class'::pg_catalog.regclass, d.attrelid, t.oid, d.attname
      FROM domains d JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) d.oid
    UNION ALL
    -- (named as a function called by its event trigger: ord 4's wording and fix)
    SELECT p.proowner, 4, 'pg_catalog.pg_event_trigger'::pg_catalog.regclass, e.oid, p.oid, NULL
      FROM pg_catalog.pg_event_trigger e JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) e.evtfoid
     WHERE e.evtenabled OPERATOR(pg_catalog.<>) 'D'),
  reported AS (
    SELECT DISTINCT x.* FROM controls x
     WHERE caller IS NULL OR x.role_id OPERATOR(pg_catalog.=) 0
        OR NOT coalesce(pg_catalog.pg_has_role(x.role_id, caller, 'USAGE'), false))
  SELECT x.role_id,
         CASE x.ord
           WHEN 1 THEN pg_catalog.format('the owner of schema "%s"', hub_schema)
           WHEN 2 THEN pg_catalog.format('the owner of %s', pg_catalog.pg_describe_object(x.classid, x.objid, 0))
           WHEN 3 THEN pg_catalog.format('TRIGGER on %s', pg_catalog.pg_describe_object(x.classid, x.objid, 0))
           WHEN 4 THEN pg_catalog.format('the owner of function %s, called by %s', x.extra::pg_catalog.regprocedure,
                                         pg_catalog.pg_describe_object(x.classid, x.objid, 0))
           WHEN 5 THEN pg_catalog.format('the owner of operator %s, called by %s', x.extra::pg_catalog.regoperator,
                                         pg_catalog.pg_describe_object(x.classid, x.objid, 0))
           ELSE pg_catalog.format('the owner of domain %s, the type of column %I of %s', x.extra::pg_catalog.regtype,
                                  x.col, pg_catalog.pg_describe_object(x.classid, x.objid, 0)) END,
         CASE x.ord
           WHEN 1 THEN pg_catalog.format('Run it as role "%s" (SET ROLE %I), whose hub it is, or check which schema the call names.',
                                         pg_catalog.pg_get_userbyid(x.role_id), pg_catalog.pg_get_userbyid(x.role_id))
           WHEN 2 THEN pg_catalog.format('Make the hub''s owner own it (ALTER TABLE %s OWNER TO ...) after checking what is attached to it, or run it as role "%s".',
                                         x.objid::pg_catalog.regclass, pg_catalog.pg_get_userbyid(x.role_id))
           WHEN 3 THEN pg_catalog.format('Revoke it (REVOKE TRIGGER ON %s FROM %s) after checking the table''s triggers%s.',
                                         x.objid::pg_catalog.regclass,
                                         CASE WHEN x.role_id OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.role_id)) END,
                                         CASE WHEN x.role_id OPERATOR(pg_catalog.=) 0 THEN ''
                                              ELSE pg_catalog.format(', or run it as role "%s"', pg_catalog.pg_get_userbyid(x.role_id)) END)
           WHEN 4 THEN pg_catalog.format('Make a role that holds the caller''s rights own it (ALTER FUNCTION %s OWNER TO ...) after checking what it does, or run it as role "%s".',
                                         x.extra::pg_catalog.regprocedure, pg_catalog.pg_get_userbyid(x.role_id))
           WHEN 5 THEN pg_catalog.format('Make a role that holds the caller''s rights own it (ALTER OPERATOR %s OWNER TO ...) after checking what it does, or run it as role "%s".',
                                         x.extra::pg_catalog.regoperator, pg_catalog.pg_get_userbyid(x.role_id))
           ELSE pg_catalog.format('Make a role that holds the caller''s rights own it (ALTER DOMAIN %s OWNER TO ...) after checking its constraints, or run it as role "%s".',
                                  x.extra::pg_catalog.regtype, pg_catalog.pg_get_userbyid(x.role_id)) END,
         x.ord
    FROM reported x;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_code_controllers(name, name) IS
  'internal: the roles that control code which runs with the caller''s rights when a function reads or writes the hub (the owners of its schema and relations, the roles granted TRIGGER on them, the owners of the functions, operators and domains their triggers, rules, policies, defaults, constraints and indexes depend on, the owners of the enabled event triggers'' functions), each with what it controls and how to fix it; given a caller, only the roles that do not hold its rights (are not members of it)';

-- The same walk as _hub_code_controllers(hub, CURRENT_USER), arm by arm, in C with catalogue
-- index lookups (extension/pg/hub_code.c): true when it would list no role, false at the first
-- it would.  _hub_code_guard runs it first and the query only when it finds one, to decide and
-- name it.
CREATE FUNCTION @extschema@._hub_code_clear(hub_schema name)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_hub_code_clear'
  LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._hub_code_clear(name) IS
  'internal: true when every role _hub_code_controllers(hub_schema, CURRENT_USER) would list holds the caller''s rights (it lists none), by catalogue lookups in C; false at the first that does not';

-- Whether reading a relation (SELECT ... FROM rel, as the caller) can run code: a relation
-- that is not a table (a view's rules, a foreign table's wrapper with the caller's user
-- mapping), an inheritance child or partition that is not one, or row-level security
-- applying to the caller (its policies' expressions and what they call).  A plain table read
-- without row-level security runs nothing of anyone's: its triggers, CHECKs and defaults are
-- for writes, its children are read without their own policies.  From the catalogue; for the
-- reads that must not run another role's code and need no guard when they run none
-- (_hub_secrecy_rules_guard, create_hub's upgrade steps: _hub_upgrade_guard;
-- docs/security-reviews.md#r-hub-guards).
CREATE FUNCTION @extschema@._relation_read_runs_code(rel regclass)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE tree AS (
    SELECT rel::pg_catalog.oid AS oid
    UNION
    SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree t ON i.inhparent OPERATOR(pg_catalog.=) t.oid)
  SELECT coalesce(pg_catalog.row_security_active(rel), true)
      OR EXISTS (SELECT FROM tree t LEFT JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.oid
                  WHERE c.relkind IS NULL OR c.relkind OPERATOR(pg_catalog.<>) ALL ('{r,p}'::"char"[]))
$$;
COMMENT ON FUNCTION @extschema@._relation_read_runs_code(regclass) IS
  'internal: whether a SELECT of relation rel by the current role can run code: rel or an inheritance child or partition of it is not a table (view, foreign table ...), or row-level security applies to the role on rel; false for a plain table read without row-level security, which runs nothing; from the catalogue';

-- create_hub's upgrade steps (on a hub made by an older build: the back-fills, the retype of
-- tl_history.actor, the counts of rows left without visibility or sky) read or write the
-- hub's tables as the caller, its owner: an UPDATE fires their triggers and checks their
-- CHECKs, a retype validates the CHECKs again and rebuilds the indexes, a read runs the
-- policies under FORCE ROW LEVEL SECURITY.  Each step runs this first, only when it has
-- work to do, so that create_hub on a current hub (nothing to upgrade) or a new one is not
-- refused: _hub_code_guard(hub, 'create_hub (<step>)') (42501 when a role without the
-- caller's rights controls code in the hub), or, for a read of rel only, nothing when the
-- read runs no code (_relation_read_runs_code).  Returns true.
CREATE FUNCTION @extschema@._hub_upgrade_guard(hub name, step text, rel regclass DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF rel IS NOT NULL AND NOT @extschema@._relation_read_runs_code(rel) THEN
    RETURN true;
  END IF;
  RETURN @extschema@._hub_code_guard(hub, pg_catalog.format('create_hub (%s)', step));
END
$$;
COMMENT ON FUNCTION @extschema@._hub_upgrade_guard(name, text, regclass) IS
  'internal: the guard of an upgrade step of create_hub on a hub made by an older build (step names it): _hub_code_guard(hub, ''create_hub (<step>)''), 42501 when a role without the caller''s rights controls code the step would run; with rel, a step that only reads rel, nothing when that read runs no code (_relation_read_runs_code); returns true';

-- The governance functions and tl_expire refuse a call in which code controlled by a role
-- that does not already hold the caller's rights would run with them (_hub_code_controllers).
-- "Holds the caller's rights": the role is the caller, or a member of it that inherits its
-- privileges (pg_has_role's USAGE, which a superuser has of every role; not MEMBER, which on
-- PostgreSQL 16 and later counts a membership granted WITH INHERIT FALSE, SET FALSE), so
-- running its code as the caller gives it nothing it did not have.  Anything else would lend the caller's rights:
-- before (review of 2026-12-06) only a superuser calling on a hub owned by a non-superuser
-- was refused, and a platform administrator's purge_expired ran the triggers of an agent who
-- had created a schema under a renamed hub's old name, which read the pseudonym key and
-- every territory's rows (extension/tests/pgtap/governance_trust.sql).  The hub's owner, a
-- superuser on a superuser's hub, the platform administrator on a hub a superuser (or itself)
-- owns pass; the fix is the hint: run it as that role, or take the control back.
-- privileged_only: the functions agents call to write their own territory's rows (the
-- campaigns', tl_propose, the imports and refreshes, the THD loads) write what the caller's
-- own INSERT or UPDATE would, and fire the same triggers: the hub owner's, whom the writers
-- of a table trust (PostgreSQL's model; docs/security.md's threat model leaves the hub's
-- owner out for agents).  Checking them for every caller would refuse every agent of a hub
-- a platform administrator made.  For them the rule binds the callers whose rights nobody
-- else on the hub may borrow: superusers and the platform administrators (every row of
-- every hub, the pseudonym key).  Returns true, so that a DECLARE can run it first.
CREATE FUNCTION @extschema@._hub_code_guard(hub_schema name, fn text, privileged_only boolean DEFAULT false)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c record;
BEGIN
  -- (a NOINHERIT member of the platform administrators' group counts, MEMBER: code run
  -- with its rights could SET ROLE to the group, so it is bound; more refused, never less.
  -- docs/security-reviews.md#r-noinherit-platform, noinherit_platform.sql)
  IF privileged_only AND NOT @extschema@._caller_is_privileged() THEN
    RETURN true;
  END IF;
  -- (nothing to find: the catalogue walk in C, no query to parse and plan; else the query
  -- below decides, and names the first role)
  IF @extschema@._hub_code_clear(hub_schema) THEN
    RETURN true;
  END IF;
  SELECT x.role_id, x.what, x.fix INTO c
    FROM @extschema@._hub_code_controllers(hub_schema, CURRENT_USER) x
   ORDER BY x.ord, x.what LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'must not run % on hub "%" as role "%"', fn, hub_schema, CURRENT_USER
      USING ERRCODE = '42501',
            DETAIL = pg_catalog.format('Role "%s" (%s) does not hold the rights of role "%s": the call would run what it put in the hub (triggers, rules, defaults, policies and the functions they call) with the rights of "%s".',
                                       CASE WHEN c.role_id OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(c.role_id) END,
                                       c.what, CURRENT_USER, CURRENT_USER),
            HINT = c.fix;
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_code_guard(name, text, boolean) IS
  'internal: refuses (42501) a function that reads or writes a hub as its caller when a role that is not a member of the caller (superusers are members of every role) controls code the call would run with the caller''s rights (_hub_code_controllers); privileged_only (the agents'' writing functions): only for a superuser or platform administrator caller; returns true';

-- _hub_code_guard(hub, fn, privileged_only => true) for the readers, in C: other callers
-- return at once, and a hub a superuser's or platform administrator's call was found to
-- pass in this statement is not checked again (query.c: the maturity_* readers and the
-- _maturity_* functions they call, tierslieux_coverage and _tierslieux_nearest, each
-- check it, and pay the 4-7 ms of the guard once).  Returns true.
CREATE FUNCTION @extschema@._hub_read_guard(hub_schema name, fn text)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_hub_read_guard'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 1000;
COMMENT ON FUNCTION @extschema@._hub_read_guard(name, text) IS
  'internal: for a superuser or platform administrator caller, _hub_code_guard(hub_schema, fn, true) (42501 when a role without the caller''s rights controls code reading the hub would run), once a statement for a hub found to pass; other callers return at once; returns true';

-- The preamble the governance functions taking a hub by name repeated (subject_export,
-- subject_erase, purge_expired, seal_legacy_pseudonyms, create_pseudonymised_views with their
-- fn; grant_roles and configure_audit, which ran no guard, without), in one place: the guard
-- for fn, then 42P01 'schema "<hub>" has no hub', hint 'Run smartregion.create_hub() first.'
-- (22004 for a NULL hub_schema too, for a direct call: the functions check their NULL
-- arguments first, _require_args).  In C (query.c) and called in an assignment, so that its
-- errors carry the caller's CONTEXT line only, as _require_args'.  Not _hub_require, which is
-- the check of a hub's table by the functions taking a hub argument ('hub "<hub>" has no table
-- <table>'); nor pseudonym and _catalog_schema_id (3F000 for no such schema, hints of their
-- own) or enable_territory_security (pg_tables: a view named agents is no hub there).
CREATE FUNCTION @extschema@._hub_enter(hub_schema name, fn text DEFAULT NULL)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_hub_enter'
  LANGUAGE C STABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION @extschema@._hub_enter(name, text) IS
  'internal: the preamble of the governance functions taking a hub by name: 22004 for a NULL hub_schema; with fn, _hub_code_guard(hub_schema, fn) (42501 naming fn when a role without the caller''s rights controls code the call would run); 42P01 schema "<hub_schema>" has no hub (hint: create_hub) when it holds no agents table; returns true';

-- The readers' check that their caller has USAGE on the hub whose tables they read (the
-- maturity_* readers' maturity_value and maturity_answer, thd_ftth_coverage's thd_ftth and
-- thd_premises), in C (sr_require_hub_usage_of, query.c; the text in sr_schema_usage.h, the
-- one the C maturity readers raise when called directly): one clear 42501 naming the role,
-- the hub, the tables, the reader fn the caller called and what to grant, before anything
-- reads the hub (docs/security.md).  A hub that does not exist, or NULL, is left to the
-- reader.  Returns true.
CREATE FUNCTION @extschema@._hub_usage_guard(hub_schema name, fn text, tables text, named_in text)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_hub_usage_guard'
  LANGUAGE C STABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._hub_usage_guard(name, text, text, text) IS
  'internal: 42501 when the caller has no USAGE on the existing schema hub_schema, naming the role, the hub, its tables the reader fn reads, where the hub was named (named_in) and what to grant; returns true';

-- The readers whose hub is in their caller's query texts (the CNIG exports, the zones',
-- matching, solar and city readers) guard what those texts run, by the rule of
-- _hub_code_guard for a superuser or platform administrator caller (privileged_only).
-- Each text is analysed (parse analysis and rewriting, never planned nor run) as the
-- reader will read it, under the caller's search_path:
--  * a function it calls (operators' and aggregates' included, and the views' and
--    policies' ones the rewriting brings in) and a domain it casts to must belong to a
--    role holding the caller's rights (_query_code): their code runs with them (what such
--    a function or domain calls in turn is its owner's choice);
--  * set_config in a text is refused: it would change how the texts read after it
--    resolve their names, which their analysis, made before any runs, cannot follow;
--  * the hubs (a schema holding agents, territory_admins and tl_history, as
--    trust_problems says) among the schemas of the relations it reads, views' relations
--    included (_query_schemas), are checked (_hub_read_guard); every hub of the database
--    when it calls a function whose reads the analysis cannot see: one in SQL or a
--    procedural language that is neither PostgreSQL's nor an extension's, or one that runs
--    a query given as text or a table given by name (query_to_xml and the other
--    *_to_xml*, ts_stat, ts_rewrite, PostGIS's ST_FindExtent); an SQL function of a
--    trusted owner whose body is bound when created (BEGIN ATOMIC, RETURN), neither
--    SECURITY DEFINER nor with SET clauses nor writing, is read as a view (_query_code).
-- A text that cannot be analysed is left to the reader, which reports it as before (its
-- own analysis of the same text on the same catalogue fails the same way), unless the
-- error is one of the moment (a lock not granted in time, a deadlock, resources): raised
-- then, before any text runs (specs/query_guard_lock.spec).  Other callers
-- pass at once, without analysing anything.  Returns true.
CREATE FUNCTION @extschema@._query_hub_guard(fn text, sqls text[], query_search_path text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  q text;
  s name;
  hubs name[] := '{}';
  every_hub boolean := false;
  c record;
  st text;
BEGIN
  -- (a NOINHERIT member of the platform administrators' group is bound as _hub_code_guard
  -- binds it: the code its texts run could SET ROLE to the group; noinherit_platform.sql)
  IF NOT @extschema@._caller_is_privileged() THEN
    RETURN true;
  END IF;
  FOREACH q IN ARRAY coalesce(sqls, '{}') LOOP
    CONTINUE WHEN q IS NULL;
    BEGIN
      SELECT x.* INTO c FROM @extschema@._query_code(fn, q, query_search_path) x;
      FOREACH s IN ARRAY @extschema@._query_schemas(fn, q, query_search_path) LOOP
        IF s OPERATOR(pg_catalog.<>) ALL (hubs)
           AND pg_catalog.to_regclass(pg_catalog.format('%I.agents', s)) IS NOT NULL
           AND pg_catalog.to_regclass(pg_catalog.format('%I.territory_admins', s)) IS NOT NULL
           AND pg_catalog.to_regclass(pg_catalog.format('%I.tl_history', s)) IS NOT NULL THEN
          hubs := hubs OPERATOR(pg_catalog.||) s;
        END IF;
      END LOOP;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
      -- an error of the moment (a lock not granted within lock_timeout, a deadlock, memory):
      -- raised here, the text never runs (left to the reader, its second analysis could
      -- find, the lock released, what the lock's holder put there meanwhile, unchecked)
      IF pg_catalog.left(st, 2) OPERATOR(pg_catalog.=) ANY (ARRAY['40', '53', '55', '57', '58', 'XX']) THEN
        RAISE;
      END IF;
      CONTINUE;   -- (an error of the text itself: the reader reports it, as it did before the guard)
    END;
    -- the code the text runs itself (_query_code: the functions it calls, views' and
    -- policies' included, and the domains it casts to) belongs to roles holding the
    -- caller's rights
    IF c.untrusted_role IS NOT NULL THEN
      RAISE EXCEPTION 'must not run % as role "%"', fn, CURRENT_USER
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Role "%s" (%s) does not hold the rights of role "%s": the call would run its code with the rights of "%s".',
                                         c.untrusted_role, c.untrusted, CURRENT_USER, CURRENT_USER),
              HINT = c.fix;
    END IF;
    IF c.calls_set_config THEN
      RAISE EXCEPTION 'must not run % as role "%" with a query text calling set_config', fn, CURRENT_USER
        USING ERRCODE = '42501',
              DETAIL = 'A setting changed inside a query text (search_path) changes how the texts read after it resolve their names, which the check of the hubs they read, made before any runs, cannot follow.',
              HINT = 'Set it before the call (SET search_path TO ...), not inside a query text.';
    END IF;
    every_hub := every_hub OR c.opaque;
  END LOOP;
  IF every_hub THEN
    -- (from the catalogue: a schema the caller may not use is no error)
    hubs := ARRAY(SELECT n.nspname FROM pg_catalog.pg_namespace n
                   WHERE (SELECT pg_catalog.count(DISTINCT r.relname) FROM pg_catalog.pg_class r
                           WHERE r.relnamespace OPERATOR(pg_catalog.=) n.oid
                             AND r.relname OPERATOR(pg_catalog.=) ANY (ARRAY['agents', 'territory_admins', 'tl_history']::name[]))
                         OPERATOR(pg_catalog.=) 3
                   ORDER BY n.nspname);
  END IF;
  FOREACH s IN ARRAY hubs LOOP
    PERFORM @extschema@._hub_read_guard(s, fn);
  END LOOP;
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@._query_hub_guard(text, text[], text) IS
  'internal: for a superuser or platform administrator caller, refuses (42501) a reader whose query texts call a function (or cast to a domain) of a role that does not hold the caller''s rights, call set_config, or read a hub (a schema holding agents, territory_admins and tl_history; every hub when they call a function whose reads cannot be seen) where such a role controls code the read would run (_hub_code_guard); returns true';

-- _query_hub_guard for the PL/pgSQL readers, in C (query.c): other callers return at once
-- (a role lookup, no call into PL/pgSQL), and a privileged caller's texts already found to
-- pass in this statement under the same search_path are not analysed again (a CNIG export
-- and the _cnig_* readers and _zone_placement it calls; refresh_solar_roofs, solar_cadastre
-- and _refresh_targets, _refresh_territories).  NULL query_search_path: the current one.
CREATE FUNCTION @extschema@._query_read_guard(fn text, sqls text[], query_search_path text DEFAULT NULL)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_query_read_guard'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 1000;
COMMENT ON FUNCTION @extschema@._query_read_guard(text, text[], text) IS
  'internal: for a superuser or platform administrator caller, _query_hub_guard(fn, sqls, query_search_path) of the texts not already found to pass in this statement; other callers return at once; returns true';

-- The rows of one territory, for a request by territory (subject_export and subject_erase's
-- territory_code and territory_type): a self-diagnosis respondent invited as a function
-- ('maire', 'DGS') is found by its territory and that function, which alone names nobody (every
-- commune has a maire).  SQL text over a hub table aliased t; 'true' without a territory.
CREATE FUNCTION @extschema@._subject_territory_sql(territory_code text, territory_type text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF territory_type IS NOT NULL AND territory_type OPERATOR(pg_catalog.<>) ALL (ARRAY['commune', 'epci', 'departement', 'region']) THEN
    RAISE EXCEPTION 'invalid territory type "%"', territory_type USING ERRCODE = '22023',
      HINT = 'Use commune, epci, departement or region.';
  END IF;
  IF territory_code IS NULL THEN
    IF territory_type IS NOT NULL THEN
      RAISE EXCEPTION 'territory type "%" given without a territory code', territory_type USING ERRCODE = '22023',
        HINT = 'Name the territory by its code (territory_code), and by its type too when the code is ambiguous (84 is a région and a département).';
    END IF;
    RETURN 'true';
  END IF;
  RETURN pg_catalog.format('t.territory_code OPERATOR(pg_catalog.=) %L', territory_code)
         OPERATOR(pg_catalog.||) CASE WHEN territory_type IS NULL THEN '' ELSE pg_catalog.format(
           ' AND @extschema@._territory_type_or_implied(t.territory_type, t.territory_code) OPERATOR(pg_catalog.=) %L', territory_type) END;
END
$$;
COMMENT ON FUNCTION @extschema@._subject_territory_sql(text, text) IS
  'internal: SQL condition, over a hub table aliased t, restricting a subject request to the rows of a territory (its code, and its type when given; the type as _territory_type_or_implied reads a row''s); ''true'' for a NULL code; 22023 for a type not commune, epci, departement or region, or given without a code';

CREATE FUNCTION @extschema@.subject_export(identifier text, hub_schema name DEFAULT 'hub',
                                           territory_code text DEFAULT NULL, territory_type text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (not STRICT: a NULL argument would make the call a silent no-op, an access request answered with NULL and recorded nowhere)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema, 'identifier', identifier);
  p @extschema@.personal_data;
  rows jsonb;
  records jsonb := '[]';
  mentions jsonb := '[]';
  pattern text := @extschema@._mention_pattern(identifier);
  skipped text;
  c @extschema@.catalog;
  -- (a request by territory: its rows only, [docs/governance.md#requests-by-territory])
  in_territory text := @extschema@._subject_territory_sql(territory_code, territory_type);
  pseud text; pseuds text[];   -- (the person's pseudonym; it and its legacy-sealed form)
  key_since timestamptz;
  pseudonymised jsonb := '[]';
  entered boolean;
BEGIN
  -- the preamble, _hub_enter: who controls the hub's code (42501 naming this function),
  -- then whether the schema holds a hub at all (42P01, the hint to run create_hub)
  entered := @extschema@._hub_enter(hub_schema, 'subject_export');
  pseud := @extschema@.pseudonym(identifier, hub_schema);
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x WHERE x.kind = 'subject_id' LOOP
    EXECUTE pg_catalog.format('SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t) ORDER BY pg_catalog.to_jsonb(t)::text) FROM %I.%I t WHERE t.%I = $1 AND (%s) AND (%s)',
                              hub_schema, p.table_name, p.column_name, coalesce(p.subject_filter, 'true'), in_territory)
      INTO rows USING identifier;
    IF rows IS NOT NULL THEN
      records := records || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
        'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name,
        'data_category', p.data_category, 'purpose', p.purpose, 'legal_basis', p.legal_basis,
        'legal_reference', p.legal_reference, 'recipients', p.recipients, 'retention', p.retention::text,
        'sources', (SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_object('loader', v.loader, 'source', v.source))
                      FROM @extschema@.provenance v WHERE v.hub_schema = subject_export.hub_schema
                       AND v.table_name = p.table_name AND v.operation = 'INSERT'
                       -- this table's, not an earlier table's of that name
                       AND v.table_id::pg_catalog.oid = pg_catalog.to_regclass(
                             pg_catalog.format('%I.%I', subject_export.hub_schema, p.table_name))::pg_catalog.oid),
        'rows', rows));
      INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason, territory_code, territory_type)
      VALUES (hub_schema, 'access', @extschema@.pseudonym(identifier, hub_schema), p.table_name, p.column_name, 'exported',
              pg_catalog.jsonb_array_length(rows), 'access request of the data subject (GDPR art. 15)', subject_export.territory_code, subject_export.territory_type);
    END IF;
  END LOOP;
  -- the rows pseudonymised since (an erasure, the end of a retention period, a consent
  -- withdrawn): they hold the person's pseudonym, which the controller links to them through
  -- the hub's key, so they are still personal data (GDPR art. 4(5), recital 26) and in the
  -- answer, counted and given, under "pseudonymised" (before, the answer did not mention them).
  -- Found by the pseudonym (the identifier column's index), as the caller (row-level security
  -- holds).  Rows pseudonymised under a key since destroyed are no one's any more: the answer
  -- says from when the key links them (docs/governance.md, "Access after an erasure").  An
  -- identifier that is a pseudonym of the hub is its own pseudonym (_pseudonym_sql): its
  -- rows are the records above, not listed twice.  The pseudonym, and its legacy-sealed form
  -- (an earlier build's pseudonym of the person, sealed by seal_legacy_pseudonyms: the same
  -- 48 digits, the seal of the byte 1; one HMAC more a request)
  IF pseud OPERATOR(pg_catalog.<>) identifier THEN
    EXECUTE pg_catalog.format('SELECT ARRAY[$1, ''pseudo:'' OPERATOR(pg_catalog.||) pg_catalog.substr($1, 8, 48) OPERATOR(pg_catalog.||) %s] '
                              'FROM @extschema@.pseudonym_key k WHERE k.hub_schema OPERATOR(pg_catalog.=) $2',
                              @extschema@._pseudonym_seal_sql('pg_catalog.substr($1, 8, 48)', true))
      INTO pseuds USING pseud, hub_schema;
  END IF;
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x
            WHERE x.kind = 'subject_id' AND pseud OPERATOR(pg_catalog.<>) identifier LOOP
    EXECUTE pg_catalog.format('SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t) ORDER BY pg_catalog.to_jsonb(t)::text) FROM %I.%I t WHERE t.%I OPERATOR(pg_catalog.=) ANY ($1) AND (%s) AND (%s)',
                              hub_schema, p.table_name, p.column_name, coalesce(p.subject_filter, 'true'), in_territory)
      INTO rows USING pseuds;
    IF rows IS NOT NULL THEN
      pseudonymised := pseudonymised || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
        'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name,
        'count', pg_catalog.jsonb_array_length(rows), 'data_category', p.data_category, 'purpose', p.purpose,
        'legal_basis', p.legal_basis, 'retention', p.retention::text, 'rows', rows));
      INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason, territory_code, territory_type)
      VALUES (hub_schema, 'access', pseud, p.table_name, p.column_name, 'exported', pg_catalog.jsonb_array_length(rows),
              'access request of the data subject (GDPR art. 15): rows pseudonymised, linked to the subject by the hub''s pseudonym key',
              subject_export.territory_code, subject_export.territory_type);
    END IF;
  END LOOP;
  SELECT k.created_at INTO key_since FROM @extschema@.pseudonym_key k WHERE k.hub_schema = subject_export.hub_schema;
  -- mentions of the person in free text: the rows the caller reads (row-level security
  -- holds: the call runs as its caller) whose text names the identifier as whole words
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x WHERE x.kind = 'free_text' LOOP
    IF pattern IS NULL THEN
      skipped := 'free text not searched: the identifier has fewer than 3 characters that are neither spaces nor punctuation';
      EXIT;
    END IF;
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.jsonb_agg(m.mention ORDER BY m.key::pg_catalog.text) FROM ('
      'SELECT %1$s AS key, pg_catalog.jsonb_build_object(''table'', $1, ''column'', $2, ''key'', %1$s, ''text'', t.%2$I::pg_catalog.text, '
      '''data_category'', $3, ''purpose'', $4, ''legal_basis'', $5, ''legal_reference'', $6, ''recipients'', $7, ''retention'', $8) AS mention '
      'FROM %3$I.%4$I t WHERE %5$s AND (%6$s) AND (%7$s)) m',
      @extschema@._row_key_sql(hub_schema, p.table_name, p.column_name), p.column_name, hub_schema, p.table_name,
      @extschema@._mention_sql(p.column_name, pattern), coalesce(p.subject_filter, 'true'), in_territory)
      INTO rows
      USING pg_catalog.format('%I.%I', hub_schema, p.table_name), p.column_name, p.data_category, p.purpose, p.legal_basis,
            p.legal_reference, p.recipients, p.retention::text;
    IF rows IS NOT NULL THEN
      mentions := mentions || rows;
      INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason, territory_code, territory_type)
      VALUES (hub_schema, 'access', @extschema@.pseudonym(identifier, hub_schema), p.table_name, p.column_name, 'exported',
              pg_catalog.jsonb_array_length(rows), 'access request of the data subject (GDPR art. 15): free text mentioning them',
              subject_export.territory_code, subject_export.territory_type);
    END IF;
  END LOOP;
  IF skipped IS NOT NULL THEN
    INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, action, reason, territory_code, territory_type)
    VALUES (hub_schema, 'access', @extschema@.pseudonym(identifier, hub_schema), 'none', skipped, subject_export.territory_code, subject_export.territory_type);
  END IF;
  IF records = '[]' AND mentions = '[]' AND pseudonymised = '[]' THEN
    INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, action, reason, territory_code, territory_type)
    VALUES (hub_schema, 'access', @extschema@.pseudonym(identifier, hub_schema), 'none', 'no data about the subject', subject_export.territory_code, subject_export.territory_type);
  END IF;
  SELECT * INTO c FROM @extschema@.catalog x WHERE x.hub_schema = subject_export.hub_schema;
  RETURN pg_catalog.jsonb_build_object(
    'subject', identifier, 'hub', hub_schema, 'exported_at', pg_catalog.now(),
    'controller', CASE WHEN c.hub_schema IS NOT NULL THEN
                    pg_catalog.jsonb_build_object('name', c.publisher_name, 'uri', c.publisher_uri, 'contact', c.contact_email) END,
    'records', records, 'mentions', mentions, 'pseudonymised', pseudonymised,
    'pseudonymised_note', pg_catalog.format(
      'Rows pseudonymised by an erasure, a withdrawn consent or the end of their retention period hold the subject''s pseudonym instead of the identifier: '
      'the controller links them to the subject with the hub''s secret key (drawn %s), so they remain personal data and are listed under "pseudonymised". '
      'Rows pseudonymised under an earlier key, destroyed since, can no longer be linked to the subject by anybody and are not listed.',
      coalesce(pg_catalog.to_char(key_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'now')))
    || CASE WHEN skipped IS NOT NULL THEN pg_catalog.jsonb_build_object('mentions_skipped', skipped) ELSE '{}' END;
END
$$;
COMMENT ON FUNCTION @extschema@.subject_export(text, name, text, text) IS
  'right of access (GDPR art. 15): every row about a person across the registered identifier columns of a hub, with each column''s purpose, legal basis, recipients, retention and sources, the rows pseudonymised since (they hold the person''s pseudonym, which the hub''s key links to them: counted and given under pseudonymised, with a note saying that rows pseudonymised under a destroyed key can no longer be linked), and the mentions of the identifier in the registered free-text columns (whole words, case and accents ignored; not searched for an identifier of fewer than 3 characters), as jsonb; with territory_code (and territory_type), the rows of that territory only: a person found by a function of theirs, a respondent invited as maire; runs as its caller (row-level security holds); the request is recorded in subject_request_log; 22004 for a NULL identifier or hub_schema (nothing recorded), 22023 for a territory_type not commune, epci, departement or region, or without a territory_code';

CREATE FUNCTION @extschema@.subject_erase(identifier text, hub_schema name DEFAULT 'hub',
                                          territory_code text DEFAULT NULL, territory_type text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (not STRICT: a NULL argument would make the call a silent no-op, an erasure that erased nothing and recorded nothing)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema, 'identifier', identifier);
  p @extschema@.personal_data;
  n bigint;
  cond text;
  pattern text := @extschema@._mention_pattern(identifier);
  skipped text;
  msg text;
  msg_state text;
  msg_constraint text;
  erased jsonb := '[]';
  kept jsonb := '[]';
  -- (a request by territory: its rows only, [docs/governance.md#requests-by-territory])
  in_territory text := @extschema@._subject_territory_sql(territory_code, territory_type);
  entered boolean;
BEGIN
  -- the preamble, _hub_enter: who controls the hub's code (42501 naming this function),
  -- then whether the schema holds a hub at all (42P01, the hint to run create_hub)
  entered := @extschema@._hub_enter(hub_schema, 'subject_erase');
  -- the rows about the person (identifier columns), then the free text mentioning them
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x WHERE x.kind IN ('subject_id', 'free_text')
            ORDER BY x.kind = 'free_text', x.table_name, x.column_name LOOP
    IF p.kind = 'subject_id' THEN
      cond := pg_catalog.format('t.%I = $1', p.column_name);
    ELSIF pattern IS NULL THEN
      skipped := 'free text not searched: the identifier has fewer than 3 characters that are neither spaces nor punctuation';
      CONTINUE;
    ELSE
      cond := @extschema@._mention_sql(p.column_name, pattern);
    END IF;
    cond := pg_catalog.format('(%s) AND (%s)', cond, in_territory);
    IF p.legal_basis = 'legal_obligation' THEN
      -- GDPR art. 17(3)(b): kept while the legal obligation lasts (retention purges it)
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %I.%I t WHERE %s AND (%s)',
                                hub_schema, p.table_name, cond, coalesce(p.subject_filter, 'true'))
        INTO n USING identifier;
      IF n > 0 THEN
        kept := kept || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
          'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name, 'rows', n,
          'reason', pg_catalog.format('legal obligation (%s), kept for %s', coalesce(p.legal_reference, p.purpose), p.retention)));
        INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason, territory_code, territory_type)
        VALUES (hub_schema, 'erasure', @extschema@.pseudonym(identifier, hub_schema), p.table_name, p.column_name, 'kept', n,
                pg_catalog.format('erasure refused: legal obligation (%s), GDPR art. 17(3)(b)', coalesce(p.legal_reference, p.purpose)),
                subject_erase.territory_code, subject_erase.territory_type);
      END IF;
    ELSIF p.kind = 'subject_id' THEN
      n := @extschema@._erase_rows(hub_schema, p, cond, 'erasure', identifier, subject_erase.territory_code, subject_erase.territory_type);
      IF n > 0 THEN
        erased := erased || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
          'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name, 'rows', n,
          'action', @extschema@._erasure_action(p.erasure)));
      END IF;
    ELSE
      -- free text is cleared (the register says so of every free_text column), the row kept;
      -- a table's own rules may refuse it (a trigger, a constraint, the caller's privileges):
      -- the text is then kept and the refusal reported, the other erasures done
      BEGIN
        n := @extschema@._erase_rows(hub_schema, p, cond, 'erasure', identifier, subject_erase.territory_code, subject_erase.territory_type);
        IF n > 0 THEN
          erased := erased || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
            'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name, 'rows', n,
            'action', @extschema@._erasure_action(p.erasure)));
        END IF;
      EXCEPTION WHEN integrity_constraint_violation OR object_not_in_prerequisite_state OR raise_exception
                     OR insufficient_privilege THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, msg_state = RETURNED_SQLSTATE, msg_constraint = CONSTRAINT_NAME;
        EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %I.%I t WHERE %s AND (%s)',
                                  hub_schema, p.table_name, cond, coalesce(p.subject_filter, 'true'))
          INTO n USING identifier;
        kept := kept || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
          'table', pg_catalog.format('%I.%I', hub_schema, p.table_name), 'column', p.column_name, 'rows', n,
          'reason', pg_catalog.format('clearing refused: %s', msg)));
        INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, table_name, column_name, action, rows, reason, territory_code, territory_type)
        -- (the record keeps the refusal's SQLSTATE and constraint, not its message: a
        -- table's trigger may quote the text or name the person in it, and the record
        -- names the subject by pseudonym only; the caller gets the message above)
        VALUES (hub_schema, 'erasure', @extschema@.pseudonym(identifier, hub_schema), p.table_name, p.column_name, 'kept', n,
                pg_catalog.format('erasure refused: clearing the free text mentioning the subject failed (SQLSTATE %s%s)',
                                  msg_state, CASE WHEN msg_constraint <> '' THEN pg_catalog.format(', constraint %I', msg_constraint) ELSE '' END),
                subject_erase.territory_code, subject_erase.territory_type);
      END;
    END IF;
  END LOOP;
  IF skipped IS NOT NULL THEN
    INSERT INTO @extschema@.subject_request_log (hub_schema, request, subject_pseudonym, action, reason, territory_code, territory_type)
    VALUES (hub_schema, 'erasure', @extschema@.pseudonym(identifier, hub_schema), 'none', skipped, subject_erase.territory_code, subject_erase.territory_type);
  END IF;
  RETURN pg_catalog.jsonb_build_object(
    'subject_pseudonym', @extschema@.pseudonym(identifier, hub_schema), 'hub', hub_schema, 'erased_at', pg_catalog.now(),
    'status', CASE WHEN erased = '[]' AND kept = '[]' THEN 'no_data'
                   WHEN kept = '[]' THEN 'erased'
                   WHEN erased = '[]' THEN 'refused'
                   ELSE 'partly_refused' END,
    'erased', erased, 'kept', kept)
    || CASE WHEN skipped IS NOT NULL THEN pg_catalog.jsonb_build_object('mentions_skipped', skipped) ELSE '{}' END;
END
$$;
COMMENT ON FUNCTION @extschema@.subject_erase(text, name, text, text) IS
  'right to erasure (GDPR art. 17), in one transaction: deletes or pseudonymises (as registered) every row about a person (with territory_code, and territory_type, of that territory only: a respondent invited as maire), clears the registered free text mentioning the identifier (whole words, case and accents ignored; not searched for an identifier of fewer than 3 characters), keeps and reports the rows a legal obligation keeps (art. 17(3)(b)) and the free text whose clearing a table''s rules refuse; runs as its caller (row-level security holds); returns what was erased and kept (status erased, partly_refused, refused or no_data), recorded in subject_request_log; 22004 for a NULL identifier or hub_schema (nothing erased, nothing recorded), 22023 for a territory_type not commune, epci, departement or region, or without a territory_code';

CREATE FUNCTION @extschema@.purge_expired(hub_schema name DEFAULT 'hub')
RETURNS TABLE (table_name name, column_name name, reason text, action text, rows bigint)
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (not STRICT: a NULL argument would make the call a silent no-op, a purge that purged nothing and recorded nothing)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  p @extschema@.personal_data;
  n bigint;
  since name;   -- the column a row's retention counts from
  entered boolean;
BEGIN
  -- the preamble, _hub_enter: who controls the hub's code (42501 naming this function),
  -- then whether the schema holds a hub at all (42P01, the hint to run create_hub)
  entered := @extschema@._hub_enter(hub_schema, 'purge_expired');
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x ORDER BY x.table_name, x.column_name LOOP
    -- consent withdrawn: the rows of the subjects who withdrew
    IF p.consent_purpose IS NOT NULL AND p.kind = 'subject_id' THEN
      n := @extschema@._erase_rows(hub_schema, p, pg_catalog.format(
             'EXISTS (SELECT 1 FROM %I.consents c WHERE c.subject = t.%I AND c.purpose = %L AND c.withdrawn_at IS NOT NULL '
             'AND (c.territory_code IS NULL OR (c.territory_code = t.territory_code AND (t.territory_type IS NULL '
             'OR t.territory_type = coalesce(@extschema@._territory_type_or_implied(c.territory_type, c.territory_code), t.territory_type)))))',
             hub_schema, p.column_name, p.consent_purpose), 'consent_withdrawn');
      table_name := p.table_name; column_name := p.column_name; reason := 'consent withdrawn';
      action := @extschema@._erasure_action(p.erasure); rows := n;
      RETURN NEXT;
    END IF;
    -- retention period over (rows recorded before now() - retention); a consent's is
    -- counted from its withdrawal: it is the proof of the processing while it lasts (GDPR
    -- art. 7(1)), and deleting it purges what it covered (sr_consent_deleted), so a consent
    -- still given is never purged by age (a consent given 6 years ago would otherwise take
    -- the project its holder recorded today)
    since := CASE WHEN p.table_name = 'consents' THEN 'withdrawn_at' ELSE 'recorded_at' END;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = pg_catalog.format('%I.%I', hub_schema, p.table_name)::pg_catalog.regclass
                  AND a.attname = since AND NOT a.attisdropped) THEN
      n := @extschema@._erase_rows(hub_schema, p, pg_catalog.format('t.%I < pg_catalog.now() - %L::pg_catalog.interval',
                                                                      since, p.retention), 'retention');
      table_name := p.table_name; column_name := p.column_name; reason := pg_catalog.format('retention %s', p.retention);
      action := @extschema@._erasure_action(p.erasure); rows := n;
      RETURN NEXT;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.purge_expired(name) IS
  'applies the register: deletes or pseudonymises the rows whose retention period is over (counted from recorded_at; a consent''s from its withdrawal, a consent still given never) and the rows of subjects who withdrew their consent; one row per registered column and reason, each recorded in subject_request_log; 22004 for a NULL hub_schema (nothing purged, nothing recorded)';

-- The pseudonyms an earlier build wrote ('pseudo:' and the 64 hexadecimal digits of the
-- HMAC, no seal) do not verify: the retention pass would take them for identifiers and
-- pseudonymise them again, and the subject's access request would no longer find them.  Run
-- once after the upgrade, as the platform administrator, seal_legacy_pseudonyms gives each its
-- legacy seal in place of its last 16 digits: the erasures and the retention pass keep it,
-- and access requests find it.  It cannot tell such a pseudonym from a look-alike of exactly
-- that form (64 digits) stored by a writer: that one is sealed too.  So the legacy seal is
-- another seal (HMAC of the byte 1 and the digits, a pseudonym's of the byte 0), which the
-- analysts' views do not pass through: they show the pseudonym of a legacy-sealed value, as
-- every build showed an earlier pseudonym before 2026-12-08 (until h11, this function gave
-- the seal of this build, and the views then showed a writer's look-alike, 24 bytes of its
-- choice, as it was written: docs/security-reviews.md#r-session8)
CREATE FUNCTION @extschema@.seal_legacy_pseudonyms(hub_schema name DEFAULT 'hub')
RETURNS TABLE (table_name name, column_name name, rows bigint)
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  p @extschema@.personal_data;
  n bigint;
  k bytea;
  entered boolean;
BEGIN
  -- the preamble, _hub_enter: who controls the hub's code (42501 naming this function),
  -- then whether the schema holds a hub at all (42P01, the hint to run create_hub)
  entered := @extschema@._hub_enter(hub_schema, 'seal_legacy_pseudonyms');
  FOR p IN SELECT * FROM @extschema@._personal_columns(hub_schema) x WHERE x.erasure = 'pseudonymise' ORDER BY x.table_name, x.column_name LOOP
    k := coalesce(k, @extschema@._pseudonym_key(hub_schema));
    -- (named in smartregion_erasure.column for the time of the UPDATE, as an erasure's: the
    -- append-only history lets a pseudonym that does not verify become one that does)
    PERFORM pg_catalog.set_config('smartregion_erasure.column',
                                  pg_catalog.format('%I.%I.%I', hub_schema, p.table_name, p.column_name), true);
    -- Each seal once (2026-12-08, h7; before, the WHERE's check computed it, then the SET
    -- again): the subquery d takes each distinct value of the form once (OFFSET 0: not pulled
    -- up, which would write its seals at both places again); a pseudonym of this build (its
    -- seal verifies, checked first: 1 HMAC) gets no legacy seal (NULL), any other value its
    -- legacy seal (2 HMACs); those whose last 16 digits are not it (an earlier build's
    -- pseudonyms; a legacy-sealed value is left) take it, in the rows holding them.  The
    -- UPDATE's FROM cannot read the target row (no LATERAL reference to it): the rows are
    -- joined by their value.
    EXECUTE pg_catalog.format('UPDATE %1$I.%2$I t SET %3$I = pg_catalog.left(d.old, 55) OPERATOR(pg_catalog.||) d.seal FROM '
                              '(SELECT x.old, CASE WHEN pg_catalog.substr(x.old, 56, 16) OPERATOR(pg_catalog.=) %4$s THEN NULL ELSE %5$s END AS seal '
                              'FROM (SELECT DISTINCT u.%3$I AS old FROM %1$I.%2$I u '
                              'WHERE u.%3$I OPERATOR(pg_catalog.~) ''^pseudo:[0-9a-f]{64}$'') x, (SELECT $1 AS key) k OFFSET 0) d '
                              'WHERE pg_catalog.substr(d.old, 56, 16) OPERATOR(pg_catalog.<>) d.seal AND t.%3$I OPERATOR(pg_catalog.=) d.old',
                              hub_schema, p.table_name, p.column_name,
                              @extschema@._pseudonym_seal_sql('pg_catalog.substr(x.old, 8, 48)'),
                              @extschema@._pseudonym_seal_sql('pg_catalog.substr(x.old, 8, 48)', true))
      USING k;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM pg_catalog.set_config('smartregion_erasure.column', '', true);
    table_name := p.table_name; column_name := p.column_name; rows := n;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.seal_legacy_pseudonyms(name) IS
  'upgrade of a hub''s pseudonymised rows: the pseudonyms an earlier build wrote in the registered columns erased by pseudonymisation (''pseudo:'' and 64 hex digits of the HMAC, no seal) get the legacy seal (of the byte 1 and their 48 digits) in place of their last 16 digits, so that the erasures and the retention pass keep them and access requests find them; a look-alike of exactly that form is sealed too, which is why the analysts'' views do not pass a legacy-sealed value through but show its pseudonym; a pseudonym of this build is left; one row per column with the rows sealed; run once after the upgrade, as the platform administrator (as the caller: the key); 22004 for a NULL hub_schema, 42P01 for a schema with no hub';

-- Consent ---------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._consent_withdrawn() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p @extschema@.personal_data;
  -- the consent withdrawn (UPDATE, or INSERT of one already withdrawn), or deleted,
  -- withdrawn or not: without its proof the data it covered may not be kept either
  c record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  -- the data the consent covered goes at once, in the transaction of the withdrawal: in
  -- the consent's territory (a consent is given per territory), everywhere for a
  -- consent without one
  FOR p IN SELECT * FROM @extschema@._personal_columns(TG_TABLE_SCHEMA) x
            WHERE x.consent_purpose = c.purpose AND x.kind = 'subject_id' LOOP
    PERFORM @extschema@._erase_rows(TG_TABLE_SCHEMA, p,
              CASE WHEN c.territory_code IS NULL THEN pg_catalog.format('t.%I = $1', p.column_name)
                   -- (of the consent's type: a région's consent purges nothing of the
                   -- département of the same code; a consent of a hub made before the
                   -- types, whose ambiguous code says no type, covers both)
                   ELSE pg_catalog.format('t.%I = $1 AND t.territory_code = %L AND (t.territory_type IS NULL OR t.territory_type = coalesce(%L, t.territory_type))',
                                          p.column_name, c.territory_code,
                                          @extschema@._territory_type_or_implied(c.territory_type, c.territory_code)) END,
              'consent_withdrawn', c.subject, c.territory_code, c.territory_type);
  END LOOP;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._consent_withdrawn() IS
  'internal: trigger of a hub''s consents table: when a consent is withdrawn or deleted, deletes or pseudonymises (as registered) the rows it covered, in the same transaction';

-- Pseudonymised views -------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.create_pseudonymised_views(hub_schema name DEFAULT 'hub', view_schema name DEFAULT NULL)
RETURNS SETOF name
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
-- the "already exists, skipping" NOTICEs of its idempotent DDL (dozens on a
-- fresh hub) are noise to the DBA; its own WARNINGs still show
SET client_min_messages = warning
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  vs name := coalesce(view_schema, (hub_schema || '_pseudo')::name);
  t record;
  a record;
  p @extschema@.personal_data;
  cols text;
  conds text;
  micro boolean;
  v_owner name;
  entered boolean;
BEGIN
  -- the preamble, _hub_enter: who controls the hub's code (42501 naming this function),
  -- then whether the schema holds a hub at all (42P01, the hint to run create_hub)
  entered := @extschema@._hub_enter(hub_schema, 'create_pseudonymised_views');
  SELECT pg_catalog.pg_get_userbyid(n.nspowner) INTO v_owner FROM pg_catalog.pg_namespace n WHERE n.nspname = vs;
  IF v_owner IS NOT NULL AND v_owner <> CURRENT_USER THEN
    RAISE EXCEPTION 'schema "%" is owned by role "%", not by "%"', vs, v_owner, CURRENT_USER USING ERRCODE = '42501';
  END IF;
  IF vs = hub_schema THEN
    RAISE EXCEPTION 'the pseudonymised views need a schema of their own, not the hub''s' USING ERRCODE = '22023';
  END IF;
  -- the function makes and replaces views only: a table (or any other relation) of a
  -- hub table's name in the views' schema is the caller's, never dropped, and without
  -- this check DROP VIEW's own error would hint at DROP TABLE
  SELECT c.relname, CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'm' THEN 'materialized view'
                                   WHEN 'f' THEN 'foreign table' WHEN 'S' THEN 'sequence' ELSE 'relation' END AS kind
    INTO t
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = vs AND c.relkind NOT IN ('v', 'i', 'I', 'c', 't')
     AND c.relname IN (SELECT h.table_name FROM @extschema@.hub_table h)
   ORDER BY c.relname LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'schema "%" holds a % "%", which is not a pseudonymised view', vs, t.kind, t.relname
      USING ERRCODE = '42809',
            DETAIL = 'create_pseudonymised_views makes and replaces views named after the hub''s tables; it never drops anything else.',
            HINT = 'Give the views a schema of their own (argument view_schema).';
  END IF;
  PERFORM @extschema@._pseudonym_key(hub_schema);
  EXECUTE pg_catalog.format('CREATE SCHEMA IF NOT EXISTS %I', vs);
  -- every hub table but the platform's own and those the catalogue says are NON_PUBLIC
  -- (the campaigns' respondents and answers: drafts, comments, token hashes); a view made
  -- of one before it was NON_PUBLIC goes
  FOR t IN SELECT d.table_name FROM @extschema@.dataset d
            WHERE d.access_rights = 'NON_PUBLIC' AND d.table_name NOT IN ('agents', 'territory_admins', 'consents')
              AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', vs, d.table_name)) IS NOT NULL LOOP
    EXECUTE pg_catalog.format('DROP VIEW IF EXISTS %I.%I', vs, t.table_name);
  END LOOP;
  FOR t IN SELECT h.table_name FROM @extschema@.hub_table h
            WHERE h.table_name NOT IN ('agents', 'territory_admins', 'consents')
              AND NOT EXISTS (SELECT 1 FROM @extschema@.dataset d
                               WHERE d.table_name = h.table_name AND d.access_rights = 'NON_PUBLIC')
              AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub_schema, h.table_name)) IS NOT NULL
            ORDER BY h.ord, h.table_name LOOP
    cols := NULL;
    conds := 'k.hub_schema = ' || pg_catalog.quote_literal(hub_schema);
    -- a table with confidential columns holds microdata under statistical or fiscal secrecy
    -- (the activity zones' establishments): they reach analysts, as readers, only as published
    -- aggregates, so its view keeps the rows a territory published and nothing else (with
    -- every row, the view counted each suppressed zone x section cell exactly)
    micro := EXISTS (SELECT 1 FROM @extschema@.confidential_data c WHERE c.table_name = t.table_name);
    IF micro THEN
      conds := conds || ' AND t.visibility OPERATOR(pg_catalog.=) ''public''::@extschema@.visibility';
    END IF;
    FOR a IN SELECT att.attname, att.atttypmod, pg_catalog.format_type(att.atttypid, att.atttypmod) AS decl
               FROM pg_catalog.pg_attribute att
              WHERE att.attrelid = pg_catalog.format('%I.%I', hub_schema, t.table_name)::pg_catalog.regclass
                AND att.attnum > 0 AND NOT att.attisdropped ORDER BY att.attnum LOOP
      -- confidential columns (statistical or fiscal secrecy) are not for analysts
      CONTINUE WHEN EXISTS (SELECT 1 FROM @extschema@.confidential_data c
                             WHERE c.table_name = t.table_name AND c.column_name = a.attname);
      SELECT * INTO p FROM @extschema@.personal_data x WHERE x.table_name = t.table_name AND x.column_name = a.attname;
      IF p.kind IS NULL OR p.kind = 'indirect' THEN
        cols := pg_catalog.concat_ws(', ', cols, pg_catalog.format('t.%I', a.attname));
      ELSIF p.kind = 'quasi' THEN
        -- a quasi-identifier (a sole trader's exact point, its dates) would give the person
        -- back beside open data: NULL on the rows the subject filter says are personal
        -- a CASE drops the column's typmod: cast back to the declared type (geometry(Point,2154)),
        -- or geometry_columns says SRID 0 and QGIS and GDAL scan the rows to find the CRS
        cols := pg_catalog.concat_ws(', ', cols, pg_catalog.format('(CASE WHEN %s THEN NULL ELSE t.%I END)%s AS %I',
                  coalesce(p.subject_filter, 'true'), a.attname,
                  CASE WHEN a.atttypmod >= 0 THEN '::' || a.decl ELSE '' END, a.attname));
      ELSIF p.kind = 'subject_id' THEN
        -- the identifier becomes its keyed pseudonym (rows outside the subject filter are not personal)
        cols := pg_catalog.concat_ws(', ', cols, pg_catalog.format('CASE WHEN %s THEN %s ELSE t.%I::pg_catalog.text END AS %I',
                  coalesce(p.subject_filter, 'true'), @extschema@._pseudonym_sql(pg_catalog.format('t.%I', a.attname)),
                  a.attname, a.attname));
        IF p.consent_purpose IS NOT NULL THEN
          -- withdrawn consents drop out at once, even before the purge
          conds := conds || pg_catalog.format(
            ' AND NOT EXISTS (SELECT 1 FROM %I.consents c WHERE c.subject = t.%I AND c.purpose = %L AND c.withdrawn_at IS NOT NULL'
            ' AND (c.territory_code IS NULL OR (c.territory_code = t.territory_code AND (t.territory_type IS NULL'
            ' OR t.territory_type = coalesce(@extschema@._territory_type_or_implied(c.territory_type, c.territory_code), t.territory_type)))))',
            hub_schema, a.attname, p.consent_purpose);
        END IF;
      END IF;
      -- kind 'direct' and 'free_text' (text that may name anybody): dropped
    END LOOP;
    EXECUTE pg_catalog.format('DROP VIEW IF EXISTS %I.%I', vs, t.table_name);
    EXECUTE pg_catalog.format('CREATE VIEW %I.%I WITH (security_barrier) AS SELECT %s FROM %I.%I t, @extschema@.pseudonym_key k WHERE %s',
                              vs, t.table_name, cols, hub_schema, t.table_name, conds);
    EXECUTE pg_catalog.format('COMMENT ON VIEW %I.%I IS %L', vs, t.table_name,
      pg_catalog.format('%I.%I for analysts: registered identifiers replaced by keyed pseudonyms, other direct identifiers dropped, withdrawn consents left out%s (smartregion.create_pseudonymised_views)',
                        hub_schema, t.table_name,
                        CASE WHEN micro THEN ', its public rows only (microdata: the table has confidential columns)' ELSE '' END));
    IF pg_catalog.to_regrole('smartregion_analyst') IS NOT NULL THEN
      EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO smartregion_analyst', vs, t.table_name);
    END IF;
    RETURN NEXT t.table_name;
  END LOOP;
  IF pg_catalog.to_regrole('smartregion_analyst') IS NOT NULL THEN
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO smartregion_analyst', vs);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.create_pseudonymised_views(name, name) IS
  'creates (again) one security-barrier view per hub table (but the platform''s own and the NON_PUBLIC datasets) in a schema for analysts (default <hub>_pseudo): registered identifiers replaced by keyed pseudonyms (pgcrypto HMAC-SHA-256, key readable by the platform administrator only), other direct identifiers and the confidential columns dropped, rows of withdrawn consents left out, and of a table with confidential columns (microdata) its public rows only; grants them to smartregion_analyst';

-- Access audit (pgaudit) -------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.configure_audit(hub_schema name DEFAULT 'hub', auditor name DEFAULT 'smartregion_auditor')
RETURNS SETOF name
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (a NULL name would reach format('%I') below: PostgreSQL's error names no argument)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema, 'auditor', auditor);
  t name;
  entered boolean;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) auditor
                   AND (r.rolcanlogin OR r.rolsuper OR r.rolname OPERATOR(pg_catalog.~~) 'smartregion\_%'
                        AND r.rolname OPERATOR(pg_catalog.<>) 'smartregion_auditor'))
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m WHERE m.roleid OPERATOR(pg_catalog.=) pg_catalog.to_regrole(auditor)) THEN
    -- the audit role is granted every privilege on the personal tables: a role
    -- that logs in, has members or is one of the platform's would gain them
    RAISE EXCEPTION 'role "%" cannot be the audit role', auditor USING ERRCODE = '42501',
      DETAIL = 'The audit role is granted every privilege on the tables holding personal data: it must be a NOLOGIN role without members, used for nothing else.',
      HINT = 'Leave the default, smartregion_auditor, or name a new role (configure_audit creates it).';
  END IF;
  IF NOT 'pgaudit' = ANY (pg_catalog.regexp_split_to_array(pg_catalog.current_setting('shared_preload_libraries'), '\s*,\s*')) THEN
    RAISE EXCEPTION 'pgaudit is not loaded' USING ERRCODE = '55000',
      DETAIL = 'Object audit needs the pgaudit library in shared_preload_libraries.',
      HINT = 'Install postgresql-15-pgaudit, add pgaudit to shared_preload_libraries and restart the server.';
  END IF;
  -- whether the schema holds a hub at all (42P01, the hint to run create_hub; _hub_enter)
  entered := @extschema@._hub_enter(hub_schema);
  IF pg_catalog.to_regrole(auditor) IS NULL THEN
    EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', auditor);
    EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', auditor,
      'pgaudit.role of smartregion (configure_audit): every read or write of a table this role has privileges on is logged');
  END IF;
  -- pgaudit logs every statement that touches a table on which its role has the privilege used
  FOR t IN SELECT DISTINCT x.table_name FROM @extschema@._personal_columns(hub_schema) x ORDER BY 1 LOOP
    EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I', hub_schema, t, auditor);
    RETURN NEXT t;
  END LOOP;
  EXECUTE pg_catalog.format('ALTER DATABASE %I SET pgaudit.role = %L', pg_catalog.current_database(), auditor);
  PERFORM pg_catalog.set_config('pgaudit.role', auditor, false);
END
$$;
COMMENT ON FUNCTION @extschema@.configure_audit(name, name) IS
  'object-level access audit of the hub tables holding registered personal data with pgaudit (must be in shared_preload_libraries): grants them to the audit role and makes it the database''s pgaudit.role, so that every read and write of them is logged with the role that did it; returns the audited tables (superuser only); 22004 for a NULL hub_schema or auditor';

-- The catalogue as DCAT-AP JSON-LD ------------------------------------------------------------------------
CREATE FUNCTION @extschema@.catalog_dcat(hub_schema name DEFAULT 'hub')
RETURNS jsonb
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage catalog_dcat
  -- (the reader)
DECLARE
  -- (NULL arguments first, after the check of USAGE above, which names no function of the
  -- schema: 22004 naming them, docs/governance.md#null-arguments)
  -- (not STRICT: a harvester or an export job given NULL would publish a NULL catalogue)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  c record;
  d record;
  g name := @extschema@._postgis_schema();
  eu text := 'http://publications.europa.eu/resource/authority/';
  ds_iri text;
  dist_iri text;
  geom_col name;
  srid int;
  bbox text;
  tmin text;
  tmax text;
  ttype regtype;
  pub text;
  readable boolean;
  rel regclass;
  prov text;
  modified timestamptz;
  nodes jsonb := '[]';
  ds_refs jsonb := '[]';
  ds jsonb;
  contact jsonb;
BEGIN
  PERFORM @extschema@._hub_read_guard(hub_schema, 'catalog_dcat');   -- (who controls the hub's code; C: other callers return at once)
  SELECT * INTO c FROM @extschema@.catalog x WHERE x.hub_schema = catalog_dcat.hub_schema;
  IF c.hub_schema IS NULL THEN
    RAISE EXCEPTION 'the catalogue of schema "%" is not configured', hub_schema
      USING ERRCODE = '55000', HINT = 'Describe it first with smartregion.catalog_configure().';
  END IF;
  -- the catalogue of the schema it was configured for, not of one created under its name
  -- since that schema was renamed or dropped (it would publish another role's tables under
  -- the hub's publisher, licence and contact)
  IF c.hub_id::pg_catalog.oid IS DISTINCT FROM pg_catalog.to_regclass(pg_catalog.format('%I.agents', hub_schema))::pg_catalog.oid THEN
    RAISE EXCEPTION 'the catalogue of schema "%" describes another schema', hub_schema
      USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It was configured for the schema %s, renamed or dropped since; schema "%s" is another one.',
                       coalesce((SELECT pg_catalog.format('now named "%s"', n.nspname) FROM pg_catalog.pg_class t
                                   JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.relnamespace
                                  WHERE t.oid OPERATOR(pg_catalog.=) c.hub_id::pg_catalog.oid),
                                pg_catalog.format('whose agents table had OID %s', c.hub_id::pg_catalog.oid)), hub_schema),
            HINT = 'For a renamed hub, move the row to its new name (UPDATE smartregion.catalog SET hub_schema = ...); to describe this schema, run smartregion.catalog_configure() for it.';
  END IF;
  contact := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    '@type', 'vcard:Kind', 'vcard:fn', coalesce(c.contact_name, c.publisher_name),
    'vcard:hasEmail', pg_catalog.jsonb_build_object('@id', 'mailto:' || c.contact_email)));
  FOR d IN SELECT x.*, h.service FROM @extschema@.dataset x JOIN @extschema@.hub_table h ON h.table_name = x.table_name
            WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', catalog_dcat.hub_schema, x.table_name)) IS NOT NULL
            ORDER BY h.ord, x.table_name LOOP
    ds_iri := c.base_uri || 'dataset/' || hub_schema || '.' || d.table_name;
    dist_iri := ds_iri || '/distribution';
    -- the extents are those of the public rows, the same for every caller
    -- that can read them (a published catalogue says nothing of the
    -- restricted rows); none for a NON_PUBLIC dataset (the consents, whose
    -- rows each agent reads for its own territories only)
    rel := pg_catalog.format('%I.%I', hub_schema, d.table_name)::pg_catalog.regclass;
    pub := CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                              WHERE a.attrelid = rel
                                AND a.attname = 'visibility' AND NOT a.attisdropped)
                THEN ' AND t.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''' ELSE '' END;
    -- (and the caller reads the column that tells public rows)
    readable := d.access_rights OPERATOR(pg_catalog.<>) 'NON_PUBLIC'
                AND (pub OPERATOR(pg_catalog.=) '' OR pg_catalog.has_column_privilege(rel, 'visibility', 'SELECT'));
    -- spatial extent: the bounding box in WGS 84 of the first geometry column
    geom_col := NULL; bbox := NULL;
    SELECT a.attname INTO geom_col FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = rel
       AND a.attnum > 0 AND NOT a.attisdropped AND g IS NOT NULL
       AND a.atttypid = pg_catalog.to_regtype(pg_catalog.format('%I.geometry', g))
     ORDER BY a.attnum LIMIT 1;
    IF geom_col IS NOT NULL AND readable
       AND pg_catalog.has_column_privilege(rel, geom_col, 'SELECT') THEN
      EXECUTE pg_catalog.format('SELECT %1$I.ST_SRID(t.%2$I) FROM %3$I.%4$I t WHERE t.%2$I IS NOT NULL%5$s LIMIT 1',
                                g, geom_col, hub_schema, d.table_name, pub) INTO srid;
      IF srid IS NOT NULL AND srid <> 0 THEN
        EXECUTE pg_catalog.format(
          'SELECT %1$I.ST_AsText(%1$I.ST_Transform(%1$I.ST_SetSRID(%1$I.ST_Extent(t.%2$I)::%1$I.geometry, $1), 4326), 6) '
          'FROM %3$I.%4$I t WHERE true%5$s',
          g, geom_col, hub_schema, d.table_name, pub) INTO bbox USING srid;
      END IF;
    END IF;
    -- temporal coverage: the range of the registered date or year column
    tmin := NULL; tmax := NULL;
    IF d.temporal_column IS NOT NULL AND readable THEN
      ttype := NULL;
      SELECT a.atttypid::pg_catalog.regtype INTO ttype FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = rel
         AND a.attname = d.temporal_column AND NOT a.attisdropped;
      IF ttype IS NOT NULL AND NOT pg_catalog.has_column_privilege(rel, d.temporal_column, 'SELECT') THEN
        ttype := NULL;
      END IF;
      IF ttype IN ('pg_catalog.int4'::pg_catalog.regtype, 'pg_catalog.int2'::pg_catalog.regtype) THEN
        EXECUTE pg_catalog.format('SELECT pg_catalog.make_date(pg_catalog.min(t.%1$I), 1, 1)::pg_catalog.text, '
                                  'pg_catalog.make_date(pg_catalog.max(t.%1$I), 12, 31)::pg_catalog.text FROM %2$I.%3$I t WHERE true%4$s',
                                  d.temporal_column, hub_schema, d.table_name, pub) INTO tmin, tmax;
      ELSIF ttype IS NOT NULL THEN
        EXECUTE pg_catalog.format('SELECT pg_catalog.min(t.%1$I)::pg_catalog.date::pg_catalog.text, '
                                  'pg_catalog.max(t.%1$I)::pg_catalog.date::pg_catalog.text FROM %2$I.%3$I t WHERE true%4$s',
                                  d.temporal_column, hub_schema, d.table_name, pub) INTO tmin, tmax;
      END IF;
    END IF;
    -- provenance: which loader, from which source, when -- never which role: a login is
    -- often a person's (firstname.lastname), and the catalogue is open data
    SELECT pg_catalog.string_agg(pg_catalog.format('%s %s from %s (%s statement(s), last %s)', q.operation, q.loader,
                                                   coalesce(q.source, 'no named source'), q.n,
                                                   pg_catalog.to_char(q.last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                                 '; ' ORDER BY q.last_at, q.loader),
           pg_catalog.max(q.last_at)
      INTO prov, modified
      FROM (SELECT v.operation, v.loader, v.source, pg_catalog.count(*) AS n, pg_catalog.max(v.loaded_at) AS last_at
              FROM @extschema@.provenance v
             WHERE v.hub_schema = catalog_dcat.hub_schema AND v.table_name = d.table_name
               -- this table's, not an earlier table's of that name (a renamed or dropped hub's)
               AND v.table_id::pg_catalog.oid = pg_catalog.to_regclass(
                     pg_catalog.format('%I.%I', catalog_dcat.hub_schema, d.table_name))::pg_catalog.oid
               -- (none for a NON_PUBLIC dataset: its writes are the agents' activity on
               -- rows nobody else reads, such as how many consents each recorded, and when)
               AND d.access_rights OPERATOR(pg_catalog.<>) 'NON_PUBLIC'
             GROUP BY v.operation, v.loader, v.source) q;
    ds := pg_catalog.jsonb_build_object(
      '@id', ds_iri, '@type', 'dcat:Dataset',
      'dct:identifier', hub_schema || '.' || d.table_name,
      'dct:title', pg_catalog.jsonb_build_object('@value', d.title, '@language', 'en'),
      'dct:description', pg_catalog.jsonb_build_object('@value', d.description, '@language', 'en'),
      'dcat:keyword', pg_catalog.to_jsonb(d.keywords || ARRAY[d.service]),
      'dcat:theme', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('@id', eu || 'data-theme/' || th) ORDER BY th)
                       FROM pg_catalog.unnest(d.themes) th),
      'dct:publisher', pg_catalog.jsonb_build_object('@id', c.publisher_uri),
      'dcat:contactPoint', contact,
      'dct:accrualPeriodicity', pg_catalog.jsonb_build_object('@id', eu || 'frequency/' || d.update_frequency),
      'dct:accessRights', pg_catalog.jsonb_build_object('@id', eu || 'access-right/' || d.access_rights),
      'dct:language', pg_catalog.jsonb_build_object('@id', eu || 'language/' || c.language),
      'dcat:distribution', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('@id', dist_iri)));
    IF c.spatial IS NOT NULL OR bbox IS NOT NULL THEN
      ds := ds || pg_catalog.jsonb_build_object('dct:spatial', (
              SELECT pg_catalog.jsonb_agg(l.loc ORDER BY l.k) FROM (VALUES
                (1, CASE WHEN c.spatial IS NOT NULL THEN pg_catalog.jsonb_build_object('@id', c.spatial) END),
                (2, CASE WHEN bbox IS NOT NULL THEN pg_catalog.jsonb_build_object('@type', 'dct:Location',
                      'dcat:bbox', pg_catalog.jsonb_build_object('@value', bbox, '@type', 'gsp:wktLiteral')) END)) l(k, loc)
               WHERE l.loc IS NOT NULL));
    END IF;
    IF tmin IS NOT NULL THEN
      ds := ds || pg_catalog.jsonb_build_object('dct:temporal', pg_catalog.jsonb_build_object('@type', 'dct:PeriodOfTime',
              'dcat:startDate', pg_catalog.jsonb_build_object('@value', tmin, '@type', 'xsd:date'),
              'dcat:endDate', pg_catalog.jsonb_build_object('@value', tmax, '@type', 'xsd:date')));
    END IF;
    IF prov IS NOT NULL THEN
      ds := ds || pg_catalog.jsonb_build_object(
              'dct:provenance', pg_catalog.jsonb_build_object('@type', 'dct:ProvenanceStatement',
                                  'rdfs:label', pg_catalog.jsonb_build_object('@value', prov, '@language', 'en')),
              'dct:modified', pg_catalog.jsonb_build_object(
                                  '@value', pg_catalog.to_char(modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                  '@type', 'xsd:dateTime'));
    END IF;
    nodes := nodes || pg_catalog.jsonb_build_array(ds, pg_catalog.jsonb_build_object(
      '@id', dist_iri, '@type', 'dcat:Distribution',
      'dct:title', pg_catalog.jsonb_build_object('@value', d.title || CASE WHEN geom_col IS NOT NULL THEN ' (GeoJSON)' ELSE ' (JSON)' END,
                                                 '@language', 'en'),
      'dct:description', pg_catalog.jsonb_build_object('@value', pg_catalog.format(
                           'Rows of the hub table %I.%I through the platform''s OGC API - Features service%s.', hub_schema, d.table_name,
                           CASE WHEN d.access_rights = 'PUBLIC' THEN '' ELSE ', for authorised agents' END), '@language', 'en'),
      'dcat:accessURL', pg_catalog.jsonb_build_object('@id', c.base_uri || 'collections/' || hub_schema || '.' || d.table_name || '/items'),
      'dct:format', pg_catalog.jsonb_build_object('@id', eu || 'file-type/' || CASE WHEN geom_col IS NOT NULL THEN 'GEOJSON' ELSE 'JSON' END),
      'dcat:mediaType', pg_catalog.jsonb_build_object('@id', 'https://www.iana.org/assignments/media-types/application/'
                                                             || CASE WHEN geom_col IS NOT NULL THEN 'geo+json' ELSE 'json' END),
      'dct:license', pg_catalog.jsonb_build_object('@id', c.license),
      'dct:accessRights', pg_catalog.jsonb_build_object('@id', eu || 'access-right/' || d.access_rights)));
    ds_refs := ds_refs || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('@id', ds_iri));
  END LOOP;
  RETURN pg_catalog.jsonb_build_object(
    '@context', pg_catalog.jsonb_build_object(
      'dcat', 'http://www.w3.org/ns/dcat#', 'dct', 'http://purl.org/dc/terms/', 'foaf', 'http://xmlns.com/foaf/0.1/',
      'vcard', 'http://www.w3.org/2006/vcard/ns#', 'xsd', 'http://www.w3.org/2001/XMLSchema#',
      'rdfs', 'http://www.w3.org/2000/01/rdf-schema#', 'gsp', 'http://www.opengis.net/ont/geosparql#'),
    '@graph', pg_catalog.jsonb_build_array(
      pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        '@id', c.base_uri || 'catalog/' || hub_schema, '@type', 'dcat:Catalog',
        'dct:title', pg_catalog.jsonb_build_object('@value', c.title, '@language', 'en'),
        'dct:description', pg_catalog.jsonb_build_object('@value', c.description, '@language', 'en'),
        'dct:publisher', pg_catalog.jsonb_build_object('@id', c.publisher_uri),
        'dct:license', pg_catalog.jsonb_build_object('@id', c.license),
        'dct:language', pg_catalog.jsonb_build_object('@id', eu || 'language/' || c.language),
        'dct:spatial', CASE WHEN c.spatial IS NOT NULL THEN pg_catalog.jsonb_build_object('@id', c.spatial) END,
        'foaf:homepage', CASE WHEN c.homepage IS NOT NULL THEN pg_catalog.jsonb_build_object('@id', c.homepage) END,
        'dcat:themeTaxonomy', pg_catalog.jsonb_build_object('@id', eu || 'data-theme'),
        'dcat:dataset', ds_refs)),
      pg_catalog.jsonb_build_object('@id', c.publisher_uri, '@type', 'foaf:Agent', 'foaf:name', c.publisher_name),
      pg_catalog.jsonb_build_object('@id', c.license, '@type', 'dct:LicenseDocument'))
    || nodes);
END;
END
$$;
COMMENT ON FUNCTION @extschema@.catalog_dcat(name) IS
  'the catalogue of a hub as DCAT-AP 2 JSON-LD (for data.gouv.fr / udata harvesting): the catalogue, its publisher, and for every hub table a dcat:Dataset (title, description, keywords, EU themes, contact point, update frequency, access rights, spatial extent in WGS 84, temporal coverage, provenance: loaders, sources and times, no role, modified) with one dcat:Distribution (access URL, format, media type, licence); 22004 for a NULL hub_schema';

-- The platform's own tables in the catalogue and the register ----------------------------------------
SELECT @extschema@.register_dataset('agents', 'Territory agents',
  'Which database roles act for which territory of the platform (row-level security of every hub table reads it).',
  ARRAY['GOVE'], ARRAY['access control'], 'IRREG', NULL, 'NON_PUBLIC');
SELECT @extschema@.register_dataset('territory_admins', 'Territory administrators',
  'Which database roles administer a territory: they add and remove its other agents.',
  ARRAY['GOVE'], ARRAY['access control'], 'IRREG', NULL, 'NON_PUBLIC');
SELECT @extschema@.register_dataset('consents', 'Consents of data subjects',
  'Consents given and withdrawn by the citizens who contribute data, per purpose; a withdrawal erases the data it covered.',
  ARRAY['GOVE', 'SOCI'], ARRAY['GDPR', 'consent'], 'CONT', 'granted_at', 'NON_PUBLIC');
SELECT @extschema@.register_personal_data('consents', 'subject', 'subject_id', 'identification (identifier given by the data subject)',
  'citizens who consented to the processing of data they contribute', 'proof of consent and of its withdrawal',
  'legal_obligation', 'platform administrator (data protection officer)', interval '5 years', 'delete',
  legal_reference => 'GDPR art. 7(1): the controller must be able to demonstrate consent');

SELECT @extschema@.register_service('governance', '0.1.0',
  'data governance: DCAT-AP catalogue with provenance, register of personal data (GDPR art. 30), access and erasure requests, retention, consent, pseudonymised views, access audit, roles',
  ARRAY['catalog_configure', 'register_dataset', 'catalog_dcat', 'set_provenance', 'register_personal_data',
        'register_confidential_data', 'subject_export', 'subject_erase', 'purge_expired', 'pseudonym', 'create_pseudonymised_views',
        'configure_audit', 'drop_hub', 'dropped_hubs', 'forget_dropped_hubs', 'seal_legacy_pseudonyms']);
