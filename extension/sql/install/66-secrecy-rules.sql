-- ---------------------------------------------------------------------------
-- One set of secrecy rules for every release of a hub (docs/zones.md, one rule
-- set).  Two releases of the same zones under two rule sets give back, by
-- comparison, a cell each suppresses (the red team of 2026-12-07: C = 9 - 3 - 5 =
-- 1 under the defaults and dominance 0.6), so a publication took the defaults only.
-- A hub's owner (or the platform administrator) may instead set stricter rules
-- for every release of the hub: published zone_indicators calls and the CNIG
-- exports over it then take that set and no other.  The set changes only while
-- the hub has never held a zone (the core's rule, sr_secrecy_rules_set_check):
-- no release of it can have been made before.  Held: a zone in its zae_zones, a
-- recorded write of it, or an earlier contour in its zae_zone_history.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.hub_secrecy_rules (
  -- the hub's identity (its agents table: _catalog_schema_id), not its name
  hub_id     regclass PRIMARY KEY,
  hub_schema name NOT NULL,
  rules      jsonb NOT NULL,
  set_by     name NOT NULL DEFAULT CURRENT_USER,
  set_at     timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.hub_secrecy_rules IS
  'the statistical secrecy rules of every release of a hub (one row per hub; none: the defaults), at least as strict as the defaults, set by the hub''s owner or the platform administrator (set_secrecy_rules) while the hub has never held a zone; read by every published zone_indicators call and CNIG export over the hub; restored by a superuser as dumped (after the zones); deleted by drop_hub';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.hub_secrecy_rules', '');
-- every publisher reads it (a call that could not would publish under the defaults:
-- two rule sets); the writes are the trigger's to allow (the hub's owner, the platform).
-- Not revoked: set_secrecy_rules runs as its caller, and a hub's owner is any role owning
-- an agents table (a grant at create_hub would not follow ALTER ... OWNER TO); no
-- TRUNCATE, which fires no row trigger
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.hub_secrecy_rules TO PUBLIC;

CREATE FUNCTION @extschema@._secrecy_rules_publication(rules jsonb, hub_rules jsonb, hub text) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_secrecy_rules_publication'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._secrecy_rules_publication(jsonb, jsonb, text) IS
  'internal: the secrecy rules a publication takes: hub_rules, the set of hub (NULL: none, the defaults), refusing (22023) a call''s rules (NULL: none passed) other than that set (core: sr_secrecy_rules_publication)';

CREATE FUNCTION @extschema@._secrecy_rules_set_check(old_rules jsonb, new_rules jsonb, zones_ever boolean, hub text)
RETURNS void
  AS 'MODULE_PATHNAME', 'sr_fn_secrecy_rules_set_check'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._secrecy_rules_set_check(jsonb, jsonb, boolean, text) IS
  'internal: refuses a hub''s secrecy rules weaker than the defaults (22023), or changed from old_rules to new_rules (NULL: none, the defaults) once the hub has held a zone (zones_ever; 55000), or by a caller that cannot tell (zones_ever NULL: row-level security may hide zones from it; 42501) (core: sr_secrecy_rules_set_check)';

-- Who writes a hub's set, and when (every writer, the table written directly included)
CREATE FUNCTION @extschema@._hub_secrecy_rules_guard() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k integer;
  h regclass;
  hs name;
  old_rules jsonb;
  new_rules jsonb;
  zones regclass;
  hist regclass;
  t regclass;
  seen boolean;
  shown boolean;
  all_shown boolean;
  ever boolean;
  -- a restore (pg_dump's COPY of the row, after the hub's zones: its set_at is the
  -- original's, in the past) by a superuser, who could as well disable this trigger: the
  -- row comes back as it was, set_by and set_at kept, the 55000 rule not applied (the set
  -- is the one the releases were made under); never set_secrecy_rules (set_at: now())
  restoring boolean := false;
BEGIN
  IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
    restoring := coalesce(NEW.set_at OPERATOR(pg_catalog.<) pg_catalog.transaction_timestamp(), false)
                 AND coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false);
  END IF;
  IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
    -- (checked against the specs and merged over the defaults: one form, compared as such)
    NEW.rules := @extschema@._options('statistical_secrecy', NEW.rules);
    hs := NEW.hub_schema;   -- (the name written: a dump's)
    NEW.hub_schema := (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                        WHERE c.oid OPERATOR(pg_catalog.=) NEW.hub_id);
    IF NEW.hub_schema IS NULL AND restoring THEN
      -- (the row of a hub dropped by hand, dumped as its agents table's bare OID: skipped,
      -- as its hub; refused, the COPY would lose every hub's row with it)
      RAISE WARNING 'skipping the secrecy rules of hub "%", dropped before the dump', hs
        USING DETAIL = pg_catalog.format('Its agents table, OID %s, does not exist.', NEW.hub_id::pg_catalog.oid);
      RETURN NULL;
    END IF;
    IF NEW.hub_schema IS NULL THEN
      RAISE EXCEPTION 'hub "%" does not exist', NEW.hub_id USING ERRCODE = '42P01';
    END IF;
    -- (a hub is named by its agents table, which the publications look its set up by)
    IF (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) NEW.hub_id) OPERATOR(pg_catalog.<>) 'agents' THEN
      RAISE EXCEPTION 'relation "%" is not the agents table of a hub', NEW.hub_id
        USING ERRCODE = '22023',
              HINT = 'Set a hub''s rules with smartregion.set_secrecy_rules(hub_schema, rules).';
    END IF;
    IF NOT restoring THEN
      NEW.set_by := CURRENT_USER;
      NEW.set_at := pg_catalog.now();
    END IF;
  END IF;
  -- the hub(s) whose set changes: OLD's (update, delete) and NEW's (insert, update)
  FOR k IN 1..2 LOOP
    CONTINUE WHEN (k OPERATOR(pg_catalog.=) 1 AND TG_OP OPERATOR(pg_catalog.=) 'INSERT')
               OR (k OPERATOR(pg_catalog.=) 2 AND TG_OP OPERATOR(pg_catalog.=) 'DELETE');
    h := CASE WHEN k OPERATOR(pg_catalog.=) 1 THEN OLD.hub_id ELSE NEW.hub_id END;
    CONTINUE WHEN k OPERATOR(pg_catalog.=) 2 AND TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND h OPERATOR(pg_catalog.=) OLD.hub_id;
    hs := (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE c.oid OPERATOR(pg_catalog.=) h);
    -- the hub's owner (of its agents table) or the platform administrator, not its agents.
    -- Who it may act as (_caller_may_act_as; MEMBER on 15): a NOINHERIT member of the group sets no rules it could
    -- not set as the group after SET ROLE; what depends on what it reads, "never held a
    -- zone", asks _caller_reads_every_row below, and refuses it as the filtered caller it
    -- is (secrecy_noinherit.sql; review of 2026-12-07, h9).  The owner's term too may act
    -- as the owner (_caller_may_act_as: MEMBER on 15; on 16+ a grant WITH INHERIT FALSE,
    -- SET FALSE of the owner's role, which holds none of its rights, does not count; r-noinherit-set)
    IF NOT (@extschema@._caller_is_privileged()
            OR coalesce(@extschema@._caller_may_act_as(pg_catalog.pg_get_userbyid(
                 (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) h))), false)) THEN
      RAISE EXCEPTION 'permission denied to set the secrecy rules of hub "%"', coalesce(hs, h::text)
        USING ERRCODE = '42501',
              DETAIL = 'A hub''s secrecy rules are set by its owner or the platform administrator.',
              HINT = 'Read them in smartregion.hub_secrecy_rules; ask the hub''s owner to set them.';
    END IF;
    -- its set before and after (an insert over an existing row: ON CONFLICT's update follows)
    IF k OPERATOR(pg_catalog.=) 1 THEN
      old_rules := OLD.rules;
      new_rules := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND NEW.hub_id OPERATOR(pg_catalog.=) h THEN NEW.rules END;
    ELSE
      old_rules := (SELECT r.rules FROM @extschema@.hub_secrecy_rules r WHERE r.hub_id OPERATOR(pg_catalog.=) h);
      new_rules := NEW.rules;
    END IF;
    -- whether the hub ever held a zone: rows of its zae_zones now, a write of it recorded
    -- in smartregion.provenance, or an earlier contour in its zae_zone_history (its zones
    -- may have been deleted since: a writer without the right to record provenance leaves
    -- none, but its delete leaves the zone's contour there, written by the trigger
    -- sr_zae_zone_history; a TRUNCATE too, sr_zae_zone_history_truncate)
    zones := CASE WHEN hs IS NOT NULL THEN pg_catalog.to_regclass(pg_catalog.format('%I.zae_zones', hs)) END;
    hist := CASE WHEN hs IS NOT NULL THEN pg_catalog.to_regclass(pg_catalog.format('%I.zae_zone_history', hs)) END;
    ever := false;
    shown := true;
    -- (a hub made before the history: none to read; a table missing: nothing in it)
    FOREACH t IN ARRAY ARRAY[zones, hist] LOOP
      CONTINUE WHEN t IS NULL;
      -- (read as the caller: a hub's owner that revoked its own SELECT, or a platform
      -- administrator before grant_roles, got PostgreSQL's bare 42501 from the read below,
      -- naming neither the role nor the fix; 2026-12-07)
      IF NOT pg_catalog.has_table_privilege(t, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for table %', t
          USING ERRCODE = '42501',
                DETAIL = pg_catalog.format('Role "%s" has no SELECT on table %s, which the secrecy rules of hub "%s" read: they change only while the hub has never held a zone.', CURRENT_USER, t, hs),
                HINT = pg_catalog.format('Grant the role SELECT on table %s (the table''s owner may grant it to itself), or have the platform administrator set the rules.', t);
      END IF;
      -- (the read runs no code of another role's with the caller's rights: r-hub-guards.
      -- Not a table, or a child that is not one: refused, a view's functions or a foreign
      -- table's wrapper would run as the caller, a superuser's restore included, and the
      -- hub's own tables are plain ones.  Under row-level security the policies run: read
      -- when they show every row (the permissive USING (true) of the caller's role, which
      -- PostgreSQL folds the other permissive ones into, no restrictive one:
      -- _caller_reads_every_row), or when no role without the caller's rights controls code
      -- in the hub (_hub_code_clear, the rule of _hub_code_guard: the policies' subqueries
      -- read its other tables); else not read, and the caller does not see every row: it
      -- cannot tell, as the filtered caller it is (42501 for a change).  Not _hub_read_guard,
      -- which refused the platform administrator on every hub another role owns)
      IF EXISTS (WITH RECURSIVE tree AS (SELECT t::pg_catalog.oid AS oid
                                         UNION
                                         SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree r ON i.inhparent OPERATOR(pg_catalog.=) r.oid)
                 SELECT FROM tree r JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.oid
                  WHERE c.relkind OPERATOR(pg_catalog.<>) ALL ('{r,p}'::"char"[])) THEN
        RAISE EXCEPTION 'cannot read % of hub "%": it is not a table', t, hs
          USING ERRCODE = '42809',
                DETAIL = pg_catalog.format('The secrecy rules of hub "%s" change only while it has never held a zone, which is read in %s as role "%s"; a view or a foreign table there, or among its inheritance children, would run its owner''s code with the rights of "%s".',
                                           hs, t, CURRENT_USER, CURRENT_USER),
                HINT = pg_catalog.format('Put the hub''s table back in place of %s (smartregion.create_hub makes it), then set the rules.', t);
      END IF;
      all_shown := @extschema@._caller_reads_every_row(t);
      IF all_shown OR @extschema@._hub_code_clear(hs) THEN
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s)', t) INTO seen;
        ever := ever OR seen;
      END IF;
      shown := shown AND all_shown;
      -- shown every row of the table: no row-level security for the caller, or a
      -- permissive SELECT policy USING (true) of its (sr_platform_admin) and no restrictive
      -- one (_caller_reads_every_row, above; the history's policies are zae_zones': a
      -- restricted zone's contours stay restricted, hidden from other territories as it was)
    END LOOP;
    IF zones IS NOT NULL THEN
      -- (a write of this zae_zones, by its OID; and a write of a zae_zones of this hub's name
      -- since dropped: the owner dropping the table and running create_hub again gets a new
      -- OID, and DROP TABLE fires no row trigger, so its zones left no contour either: the
      -- rules could change after a release (2026-12-07, h2).  A row whose table_id is a live
      -- relation is that relation's, another hub's renamed table: not this hub's
      -- (g-provenance-identity).  Nor a table older than the hub's schema (its OID lower:
      -- OIDs are handed out in increasing order), a hub dropped before this one took its
      -- name: another hub, whose past is not this one's (g-registers-identity); after the
      -- OID counter wraps around (2^32 OIDs) an older table may look newer: counted, the
      -- safe side)
      ever := ever OR EXISTS (SELECT FROM @extschema@.provenance p
                               WHERE p.table_id OPERATOR(pg_catalog.=) zones
                                  OR (p.hub_schema OPERATOR(pg_catalog.=) hs AND p.table_name OPERATOR(pg_catalog.=) 'zae_zones'
                                      AND p.table_id::pg_catalog.oid OPERATOR(pg_catalog.>) (SELECT n.oid FROM pg_catalog.pg_namespace n
                                                                                             WHERE n.nspname OPERATOR(pg_catalog.=) hs)
                                      AND NOT EXISTS (SELECT FROM pg_catalog.pg_class c
                                                       WHERE c.oid OPERATOR(pg_catalog.=) p.table_id::pg_catalog.oid)));
      -- every provenance row of zae_zones shown: the terms of the policy provenance_read
      -- (15-governance.sql), its platform term the same test (_caller_may_act_as)
      shown := shown AND (NOT pg_catalog.row_security_active('@extschema@.provenance'::pg_catalog.regclass)
                          OR @extschema@._caller_may_act_as('smartregion_platform_admin')
                          OR EXISTS (SELECT FROM @extschema@._provenance_readable() v
                                      WHERE v.table_id OPERATOR(pg_catalog.=) zones::pg_catalog.oid));
    END IF;
    -- none seen, but only a caller shown every row may say none: row-level security may
    -- hide restricted zones (a hub's owner whose zae_zones another role owns, or under FORCE
    -- ROW LEVEL SECURITY; a restrictive policy, the platform administrator's too), their
    -- earlier contours (the same policies on zae_zone_history) and their provenance (a
    -- NON_PUBLIC dataset; a writer without the right to record it leaves none).  Then NULL,
    -- which the core refuses (42501) a change for: the review of 2026-12-07 found such a
    -- caller counting 0 zones after a release (h8); and a zone written and deleted by a role
    -- without the right to record provenance left no row in zae_zones nor in the provenance,
    -- only its contour in zae_zone_history, which this check did not read (h13)
    IF NOT ever AND NOT shown THEN
      ever := NULL;
    END IF;
    -- (a hub dropped, its agents table gone: no zone, no hub; its row may be deleted, by
    -- the platform administrator: drop_hub, forget_dropped_hubs)
    PERFORM @extschema@._secrecy_rules_set_check(old_rules, new_rules, ever AND NOT restoring, coalesce(hs, h::text));
  END LOOP;
  RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_secrecy_rules_guard() IS
  'internal: BEFORE trigger of smartregion.hub_secrecy_rules: a row names a hub by its agents table (22023 otherwise); only the hub''s owner or the platform administrator writes its row (42501), and only one that may read the hub''s zae_zones and zae_zone_history (42501 naming the role, the table and the fix), which must be tables, their children too (42809: a view or foreign table would run its owner''s code with the caller''s rights), read under row-level security that filters the caller only when _hub_code_clear holds (else not read: the caller cannot tell), and only one shown every row of them and of the provenance of zae_zones when it sees no zone (42501: row-level security may hide zones from it); the rules are checked and merged over the defaults; never weaker than the defaults (22023), changed only while the hub has never held a zone (its zae_zones and zae_zone_history empty and no write in smartregion.provenance of its zae_zones, nor of a zae_zones of the hub''s name since dropped, newer than its schema; 55000), except a superuser''s insert of a row whose set_at is earlier than the transaction (a dump''s COPY, after the zones), kept as it was (set_by, set_at), or skipped with a warning when its hub_id names no relation (a hub dropped before the dump); a dropped hub''s row is the platform administrator''s to delete (drop_hub)';
CREATE TRIGGER hub_secrecy_rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.hub_secrecy_rules
  FOR EACH ROW EXECUTE FUNCTION @extschema@._hub_secrecy_rules_guard();

CREATE FUNCTION @extschema@.set_secrecy_rules(hub_schema name, rules jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_id regclass := @extschema@._catalog_schema_id(hub_schema);   -- 22004, 3F000, 42P01
  r jsonb;
BEGIN
  IF rules IS NULL THEN
    DELETE FROM @extschema@.hub_secrecy_rules t WHERE t.hub_id OPERATOR(pg_catalog.=) v_id;
    RETURN NULL;
  END IF;
  INSERT INTO @extschema@.hub_secrecy_rules AS t (hub_id, hub_schema, rules)
  VALUES (v_id, hub_schema, rules)
  ON CONFLICT (hub_id) DO UPDATE SET rules = EXCLUDED.rules, hub_schema = EXCLUDED.hub_schema
  RETURNING t.rules INTO r;
  RETURN r;
END
$$;
COMMENT ON FUNCTION @extschema@.set_secrecy_rules(name, jsonb) IS
  'sets the statistical secrecy rules of every release of a hub (published zone_indicators calls and CNIG exports over it), each at least as strict as the default (22023), as the hub''s owner or the platform administrator (42501), while the hub has never held a zone (55000; 42501 for a caller that row-level security may hide zones from and that sees none); NULL rules: back to the defaults; returns the set merged over the defaults';

-- The rules of a published call: the set of the hubs its texts read (the hubs whose ZAE
-- tables they read, every hub when a text's reads cannot be seen, as
-- _zones_publication_inputs finds them, from the caller's _zones_texts_read), the
-- defaults for a hub without one.  Hubs of different sets in one call are refused.
-- Returns {"hub": name, "rules": its set}, NULL for the defaults; whether the call's own
-- rules may be published is the core's decision (sr_secrecy_rules_publication: the glue
-- of zone_indicators, and _secrecy_rules_publication for the CNIG exports).
CREATE FUNCTION @extschema@._zones_publication_rules(texts_every_hub boolean, texts_relations oid[])
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 500
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  sets jsonb[];
  names text[];
BEGIN
  -- each hub's set (NULL: the defaults), grouped
  SELECT pg_catalog.array_agg(s.rules ORDER BY s.hubs), pg_catalog.array_agg(s.hubs ORDER BY s.hubs)
    INTO sets, names
    FROM (SELECT r.rules, pg_catalog.string_agg(x.hub::text, ', ' ORDER BY x.hub) AS hubs
            FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, true, '{agents,zae_establishments}') x(hub)
            LEFT JOIN @extschema@.hub_secrecy_rules r
                   ON r.hub_id OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.agents', x.hub))
           GROUP BY r.rules) s;
  IF coalesce(pg_catalog.cardinality(sets), 0) OPERATOR(pg_catalog.>) 1 THEN
    RAISE EXCEPTION 'cannot publish zone indicators of hubs under different secrecy rules'
      USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('The texts read hubs %s, whose rules differ (smartregion.hub_secrecy_rules; none: the defaults): a release takes one set.',
                                       pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.format('%s (%s)', u.h, coalesce(u.s::text, 'the defaults'))
                                                                          FROM ROWS FROM (pg_catalog.unnest(names), pg_catalog.unnest(sets)) u(h, s)), '; ')),
            HINT = 'Publish each hub''s zones in calls reading that hub only (a text whose reads cannot be seen is taken to read every hub), or pass "not_for_publication": true.';
  END IF;
  RETURN CASE WHEN sets[1] IS NOT NULL THEN pg_catalog.jsonb_build_object('hub', names[1], 'rules', sets[1]) END;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_publication_rules(boolean, oid[]) IS
  'internal: the secrecy rules of a published zone_indicators call or CNIG export: {"hub": name, "rules": set} of the hubs whose ZAE tables its four texts read (texts_every_hub, texts_relations: _zones_texts_read, asked once by the caller; smartregion.hub_secrecy_rules; every hub when a text''s reads cannot be seen), NULL for the defaults; refuses (22023) hubs of different sets';

-- The options of a CNIG export with the rules of its publication: those of the hubs its
-- texts read (_zones_publication_rules), so that zone_indicators' cells and what the
-- exports list (_cnig_residual_listing) take one set; a file "not_for_publication" keeps
-- its own
CREATE FUNCTION @extschema@._cnig_publication_rules(opts jsonb, sqls text[], query_search_path text)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 500
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r jsonb;
BEGIN
  IF (opts OPERATOR(pg_catalog.->) 'not_for_publication') IS NOT DISTINCT FROM 'true'::pg_catalog.jsonb THEN
    RETURN opts;
  END IF;
  -- (the hubs the texts read: their analysis, once)
  SELECT @extschema@._zones_publication_rules(t.every_hub, t.relations) INTO r
    FROM @extschema@._zones_texts_read(sqls, query_search_path) t;
  r := @extschema@._secrecy_rules_publication(opts OPERATOR(pg_catalog.->) 'rules', r OPERATOR(pg_catalog.->) 'rules',
                                              r OPERATOR(pg_catalog.->>) 'hub');
  RETURN CASE WHEN r IS NULL THEN opts
              ELSE coalesce(opts, '{}'::pg_catalog.jsonb) OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('rules', r) END;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_publication_rules(jsonb, text[], text) IS
  'internal: the options of a CNIG export (opts) with the secrecy rules of the hubs its texts read (sqls, analysed under query_search_path: _zones_texts_read; _zones_publication_rules, _secrecy_rules_publication: refuses other rules, 22023), unchanged for a file "not_for_publication" or a hub without a set';

-- The service with every entry point of the family: its CNIG exports (65-cnig.sql),
-- set_secrecy_rules and zae_zone_history_acknowledge (50-zones.sql; every entry point
-- must exist when registered)
SELECT @extschema@.register_service('activity_zones', '0.1.0',
  'activity-zone observatory: statutory ZAE inventory, vacancy, indicators, land consumption (ZAN), statistical secrecy and the CNIG "Sites économiques" exchange files',
  ARRAY['zone_indicators', 'land_unit_vacancy', 'land_consumption', 'statistical_secrecy', 'pole_eco', 'site_eco',
        'terrain_eco', 'etablissement', 'cnig_csv', 'naf_vocation', 'zae_rows_outside_territory', 'set_secrecy_rules',
        'zae_zone_history_acknowledge']);
