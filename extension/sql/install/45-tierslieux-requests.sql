-- ---------------------------------------------------------------------------
-- Tiers-lieux requests (issue 21): a project holder's request, the proposals
-- of premises sent to their owners, and their history, as hub tables whose
-- state machine the database enforces (triggers), with events on
-- LISTEN/NOTIFY.  docs/matching.md "Requests and proposals".
-- ---------------------------------------------------------------------------

-- Hub tables ----------------------------------------------------------------------
-- A project's occupation of a premise: [start, start + duration months); no start: from
-- ever; no duration, NaN or more than 10,000 years: for ever; a start past year 200,000
-- (beyond the timestamps' range once a duration is added): never
CREATE FUNCTION @extschema@._tl_occupation(start_date date, duration_months float8)
RETURNS tsrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 5
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN x.b OPERATOR(pg_catalog.<) x.e THEN pg_catalog.tsrange(x.b, x.e, '[)') ELSE 'empty'::pg_catalog.tsrange END
    FROM (SELECT CASE WHEN start_date IS NULL THEN '-infinity'::timestamp
                      WHEN start_date OPERATOR(pg_catalog.>) '200000-01-01'::date THEN 'infinity'::timestamp
                      ELSE start_date::timestamp END AS b,
                 CASE WHEN start_date IS NULL OR duration_months IS NULL
                           OR duration_months OPERATOR(pg_catalog.=) 'NaN'::float8
                           OR duration_months OPERATOR(pg_catalog.>) 120000
                           OR start_date OPERATOR(pg_catalog.>) '200000-01-01'::date THEN 'infinity'::timestamp
                      ELSE start_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(
                             months => pg_catalog.ceil(GREATEST(duration_months, 0))::int) END AS e) x
$$;
COMMENT ON FUNCTION @extschema@._tl_occupation(date, float8) IS
  'internal: the time a project occupies a premise, [start, start + duration months) (no start: from ever; no duration, NaN or over 10,000 years: for ever; a start past year 200,000: never)';

-- The time an agreement holds its places: its project's occupation, cut at the agreement's
-- end when it was ended (ends_on, a proposal "ended": its places are free from that day on;
-- the review of 2026-12-07 (h2): before, an accepted proposal held them for the project's
-- whole period, and nothing ended it)
CREATE FUNCTION @extschema@._tl_held(start_date date, duration_months float8, ends_on date)
RETURNS tsrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 5
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN ends_on IS NULL THEN @extschema@._tl_occupation(start_date, duration_months)
              ELSE @extschema@._tl_occupation(start_date, duration_months)
                   OPERATOR(pg_catalog.*) pg_catalog.tsrange(NULL, ends_on::timestamp, '[)') END
$$;
COMMENT ON FUNCTION @extschema@._tl_held(date, float8, date) IS
  'internal: the time an agreement holds its places at a premise: its project''s occupation (_tl_occupation), up to the day it ends (ends_on, excluded) when it was ended';

-- What a request needs of its project: one place at least (a team of 0 needs no premise)
-- and some time (an empty occupation, 0 months or fewer, or a start past year 200,000,
-- occupies a premise at no time: the acceptance's count places it nowhere, so it would take
-- no place; before the sixth session of 2026-12-06 tl_propose still gave such a request its
-- premise's whole capacity, the only period it did not count as the acceptance does).
-- Checked at the request's insert (open_request false) and, while the project has an open
-- request, at a change of its team or dates (open_request true: _tl_project_need), 23514.
-- (request_status: NULL at a request's insert; 'open' or 'matched', the request that holds
-- the project, at a change of the project: sr_tl_project_need)
CREATE FUNCTION @extschema@._tl_request_need(project_id bigint, team_size int, start_date date,
                                             duration_months float8, request_status text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  hint_end text := CASE request_status WHEN 'open' THEN ', or withdraw the request first.'
                                       WHEN 'matched' THEN ': an agreement holds places for its team and time.' ELSE '.' END;
BEGIN
  IF team_size OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'a request is for one place at least' USING ERRCODE = '23514',
      DETAIL = CASE WHEN request_status IS NOT NULL
                    THEN pg_catalog.format('Project %s has %s request: its team cannot become 0 people.', project_id,
                                           CASE request_status WHEN 'open' THEN 'an open' ELSE 'a matched' END)
                    ELSE pg_catalog.format('Project %s has a team of 0 people.', project_id) END,
      HINT = CASE WHEN request_status IS NOT NULL THEN 'Keep a team_size of 1 or more (NULL counts as 1)' || hint_end
                  ELSE 'Give the project a team_size of 1 or more (NULL counts as 1).' END;
  END IF;
  IF pg_catalog.isempty(@extschema@._tl_occupation(start_date, duration_months)) THEN
    RAISE EXCEPTION 'a request is for some time at least' USING ERRCODE = '23514',
      DETAIL = pg_catalog.format('Project %s%s starts on %s for %s months: it would occupy a premise at no time.', project_id,
                                 CASE request_status WHEN 'open' THEN ' has an open request and'
                                                     WHEN 'matched' THEN ' has a matched request and' ELSE '' END,
                                 start_date, duration_months),
      HINT = CASE WHEN request_status IS NOT NULL THEN 'Keep a duration_months above 0 (NULL: for ever) and a start_date before year 200000' || hint_end
                  ELSE 'Give the project a duration_months above 0 (NULL: for ever) and a start_date before year 200000.' END;
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_request_need(bigint, int, date, float8, text) IS
  'internal: refuses (23514) a request for a project of a team of 0 people or of an empty period (0 months or fewer, a start past year 200,000): at the request''s insert (request_status NULL), and at a change of the project while it has an open or matched request (its status)';

-- The most people that occupations (each with its team) place at one moment of a period:
-- the peak the acceptance's sweep (<hub>._tl_places) would add a project of that period to.
-- A step function of time rises only where an occupation starts, so its maximum over the
-- period is at the period's start or at an occupation's start within it: at
-- greatest(lower(period), lower(o)) for each occupation o overlapping it (a point of both,
-- the ranges being [) or unbounded).  Two occupations one after the other within the period
-- count once each, not together.  0 when none overlaps it (an empty period included).
CREATE FUNCTION @extschema@._tl_peak(occupations tsrange[], teams int8[], period tsrange)
RETURNS int8
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 20
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(pg_catalog.max(
           (SELECT pg_catalog.sum(u2.t) FROM ROWS FROM (pg_catalog.unnest(occupations), pg_catalog.unnest(teams)) u2(o, t)
             WHERE u2.o OPERATOR(pg_catalog.@>) c.x)), 0)::pg_catalog.int8
    FROM (SELECT GREATEST(pg_catalog.lower(period), pg_catalog.lower(u.o)) AS x
            FROM pg_catalog.unnest(occupations) u(o)
           WHERE u.o OPERATOR(pg_catalog.&&) period) c
$$;
COMMENT ON FUNCTION @extschema@._tl_peak(tsrange[], int8[], tsrange) IS
  'internal: the most people the occupations (with their teams) place at one moment of the period (0 when none overlaps it): what a project of that period is added to by the acceptance''s count of places';

SELECT @extschema@.register_hub_table('tl_request', 'tiers_lieux_requests', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.tl_request (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id        bigint NOT NULL REFERENCES %1$I.projects (id) ON DELETE CASCADE,
    status            text NOT NULL DEFAULT 'open'
                      CONSTRAINT tl_request_status_check CHECK (status IN ('open', 'matched', 'withdrawn', 'expired')),
    note              text,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    expires_at        timestamptz,
    status_changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    reason            text,
    territory_code    text,
    territory_type    text);
  -- ids are the database's (a hub made before took explicit ones): an id taken ahead by
  -- one territory would fail another's next insert, 23505 on a row it cannot see
  ALTER TABLE %1$I.tl_request ALTER COLUMN id SET GENERATED ALWAYS;
  CREATE UNIQUE INDEX IF NOT EXISTS tl_request_one_open ON %1$I.tl_request (project_id) WHERE status = 'open';
  CREATE INDEX IF NOT EXISTS tl_request_project_idx ON %1$I.tl_request (project_id);
  CREATE OR REPLACE TRIGGER sr_tl_request_check BEFORE INSERT OR UPDATE ON %1$I.tl_request
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_request_check();
  CREATE OR REPLACE TRIGGER sr_tl_request_event AFTER INSERT OR UPDATE ON %1$I.tl_request
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_request_event();
  CREATE OR REPLACE TRIGGER sr_tl_project_restricted AFTER UPDATE OF visibility ON %1$I.projects
    FOR EACH ROW WHEN (NEW.visibility::text OPERATOR(pg_catalog.=) 'restricted' AND OLD.visibility::text OPERATOR(pg_catalog.=) 'public')
    EXECUTE FUNCTION @extschema@._tl_project_restricted();
  CREATE OR REPLACE TRIGGER sr_tl_project_territory BEFORE UPDATE OF territory_code, territory_type ON %1$I.projects
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_project_territory();
  CREATE OR REPLACE TRIGGER sr_tl_project_need BEFORE UPDATE OF team_size, start_date, duration_months ON %1$I.projects
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_project_need();
  -- a hub made before the types: its requests take their project's type
  ALTER TABLE %1$I.tl_request ADD COLUMN IF NOT EXISTS territory_type text;
  SELECT @extschema@._territory_type_inherit(%1$L, 'tl_request', 'projects', 'project_id')
$ddl$, 45);

SELECT @extschema@.register_hub_table('tl_proposal', 'tiers_lieux_requests', pg_catalog.replace(pg_catalog.replace($ddl$
  CREATE TABLE IF NOT EXISTS %1$I.tl_proposal (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   bigint NOT NULL REFERENCES %1$I.tl_request (id) ON DELETE CASCADE,
    -- (no cascade: deleting a premise must not delete, under the owner's
    -- rights, the proposals and agreements of other territories)
    premise_id   bigint NOT NULL REFERENCES %1$I.premises (id),
    status       text NOT NULL DEFAULT 'pending'
                 CONSTRAINT tl_proposal_status_check CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired', 'ended')),
    score        double precision CONSTRAINT tl_proposal_score_range CHECK (score >= 0 AND score <= 1),
    method       text,
    proposed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    expires_at   timestamptz,
    answered_at  timestamptz,
    reason       text,
    territory_code text,
    territory_type text,
    CONSTRAINT tl_proposal_once UNIQUE (request_id, premise_id));
  -- ids are the database's (a hub made before took explicit ones): an id taken ahead by
  -- one territory would fail another's next insert, 23505 on a row it cannot see
  ALTER TABLE %1$I.tl_proposal ALTER COLUMN id SET GENERATED ALWAYS;
  -- a proposal is declined with a reason: checked at the decline (_tl_proposal_check), not
  -- by a CHECK on the row, since the reason is personal data that an erasure or the
  -- register's retention clears later (to NULL), the decline kept
  ALTER TABLE %1$I.tl_proposal DROP CONSTRAINT IF EXISTS tl_proposal_declined_reason;
  -- an agreement ended (accepted -> ended, the review of 2026-12-07 (h2)): the day its places
  -- are free from (a hub made before gets the column and the state)
  ALTER TABLE %1$I.tl_proposal ADD COLUMN IF NOT EXISTS ends_on date;
  -- (changed only when its definition differs: _hub_check_constraint; before the review of
  -- 2026-12-07 (h9) it was dropped and added again at every create_hub, a rescan of the
  -- proposals under an ACCESS EXCLUSIVE lock.  The text is pg_get_constraintdef's of the
  -- CREATE TABLE's above: a new hub's is left as made)
  SELECT @extschema@._hub_check_constraint(%1$L, 'tl_proposal', 'tl_proposal_status_check',
    $c$CHECK ((status = ANY (ARRAY['pending'::text, 'accepted'::text, 'declined'::text, 'withdrawn'::text, 'expired'::text, 'ended'::text])))$c$);
  CREATE UNIQUE INDEX IF NOT EXISTS tl_proposal_one_accepted ON %1$I.tl_proposal (request_id) WHERE status = 'accepted';
  -- (premise_id first: the foreign key's check when a premise is deleted, and a
  -- premise's accepted proposals, which the places count reads; it replaces an index
  -- of the accepted ones alone, which left that check a scan of every proposal)
  CREATE INDEX IF NOT EXISTS tl_proposal_premise_status_idx ON %1$I.tl_proposal (premise_id, status);
  DROP INDEX IF EXISTS %1$I.tl_proposal_premise_idx;
  CREATE OR REPLACE TRIGGER sr_tl_proposal_check BEFORE INSERT OR UPDATE ON %1$I.tl_proposal
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_proposal_check();
  -- (every update, as sr_tl_request_event: a change of status or of visibility, which
  -- create_hub adds after this table, so that a trigger cannot name it here)
  CREATE OR REPLACE TRIGGER sr_tl_proposal_event AFTER INSERT OR UPDATE ON %1$I.tl_proposal
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_proposal_event();
  -- The places of a premise: at no moment may its accepted proposals place more people
  -- than its capacity (their occupations, smartregion._tl_occupation, swept in time order).
  -- Checked when a proposal is accepted, a premise's capacity lowered or set, or the team,
  -- start or duration of a project changed (but for a smaller team over a part of its
  -- time), over EVERY territory's agreements.
  -- SECURITY DEFINER, and why: an agent sees only the rows its territory's policies show
  -- it, so another territory's restricted agreement on a public premise went uncounted
  -- and the premise was overbooked.  Safeguards: the function belongs to the hub's owner
  -- (who runs create_hub and owns these tables: no rights beyond the hub's own), pins its
  -- search_path, reads the tables of its own schema only (the hub's, owned by the hub's
  -- owner: below), runs only as the AFTER UPDATE row
  -- trigger of this hub's tl_proposal, premises and projects (39P01 otherwise; EXECUTE is
  -- revoked from PUBLIC, so no other role can attach it to a table of its own), and gives
  -- out one bit: whether the change fits (no count, and no premise the caller did not
  -- name).  Locks, always project then premises: an acceptance holds its project's row
  -- (FOR SHARE: a change of the team waits for it, and it for the change), every path the
  -- premises' rows (FOR NO KEY UPDATE, in id order, whatever their capacity, read after);
  -- then it counts in a later statement, under READ COMMITTED only (any other isolation is
  -- refused before anything else: its snapshot would miss what was committed meanwhile).
  -- An advisory lock, which any role may take, is not used; lock_timeout bounds the waits.
  -- Its body does not name the hub: a hub renamed (ALTER SCHEMA ... RENAME) keeps its
  -- rule.  The hub is the schema of the function the firing trigger names (this one's:
  -- neither the caller's nor the table's).  The hub's schema is never on its search path
  -- (pinned to pg_catalog, pg_temp): its statements name each table with that schema
  -- (EXECUTE format('%%I.premises', hub)), and every operator, function and type with its
  -- own, so nothing planted in the hub's schema (by a role granted CREATE there: an
  -- operator, a function or type of a built-in's name) is ever resolved with the owner's
  -- rights.  Before (review of 2026-12-06) the call set the path pg_catalog, <hub>,
  -- pg_temp to read the tables by their bare names, and its safety hung on every name of
  -- the body being qualified; trust_problems only listed what was planted there.
  -- Dynamic statements are planned at each call (docs/security.md gives the cost).
  CREATE OR REPLACE FUNCTION %1$I._tl_places() RETURNS trigger
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER PARALLEL UNSAFE COST 100
  SET search_path = pg_catalog, pg_temp
  SET lock_timeout = '10s'
  AS $f$
  DECLARE
    rel pg_catalog.regclass := coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID);
    hub name;
    kind text;
    ids bigint[];
    m record;
    most bigint;
  BEGIN
    -- the hub: this function's schema, as named now
    SELECT n.nspname INTO hub
      FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc f ON f.oid OPERATOR(pg_catalog.=) t.tgfoid
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) f.pronamespace
     WHERE t.tgrelid OPERATOR(pg_catalog.=) TG_RELID AND t.tgname OPERATOR(pg_catalog.=) TG_NAME;
    kind := CASE WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%%I.tl_proposal', hub))::pg_catalog.oid THEN 'proposal'
                 WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%%I.premises', hub))::pg_catalog.oid THEN 'premise'
                 WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%%I.projects', hub))::pg_catalog.oid THEN 'project' END;
    IF kind IS NULL OR TG_OP OPERATOR(pg_catalog.<>) 'UPDATE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' THEN
      RAISE EXCEPTION '%%._tl_places() is the AFTER UPDATE row trigger of %%.tl_proposal, premises and projects only',
                      pg_catalog.quote_ident(hub), pg_catalog.quote_ident(hub)
        USING ERRCODE = '39P01';
    END IF;
    -- a smaller (or equal) team over a part of its time never needs more places
    -- (nested: NEW of another table has no team_size)
    IF kind OPERATOR(pg_catalog.=) 'project' THEN
      IF coalesce(NEW.team_size, 1) OPERATOR(pg_catalog.<=) coalesce(OLD.team_size, 1)
         AND @extschema@._tl_occupation(NEW.start_date, NEW.duration_months)
             OPERATOR(pg_catalog.<@) @extschema@._tl_occupation(OLD.start_date, OLD.duration_months) THEN
        RETURN NULL;
      END IF;
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') OPERATOR(pg_catalog.<>) 'read committed' THEN
      RAISE EXCEPTION 'cannot %% under %% isolation',
        CASE WHEN kind OPERATOR(pg_catalog.=) 'proposal' THEN pg_catalog.format('accept proposal %%s', NEW.id)
             WHEN kind OPERATOR(pg_catalog.=) 'premise' THEN pg_catalog.format('lower or set the capacity of premise %%s', NEW.id)
             ELSE pg_catalog.format('grow the team or move the dates of project %%s', NEW.id) END,
        pg_catalog.upper(pg_catalog.current_setting('transaction_isolation'))
        USING ERRCODE = '25000',
        DETAIL = 'The places of a premise would be counted on a snapshot older than the changes committed meanwhile.',
        HINT = 'Run it under READ COMMITTED, the default.';
    END IF;
    IF kind OPERATOR(pg_catalog.=) 'proposal' THEN
      EXECUTE pg_catalog.format('SELECT 1 FROM %%1$I.projects p JOIN %%1$I.tl_request r ON r.project_id OPERATOR(pg_catalog.=) p.id '
                                'WHERE r.id OPERATOR(pg_catalog.=) $1 FOR SHARE OF p', hub)
        USING NEW.request_id;
      ids := ARRAY[NEW.premise_id];
    ELSIF kind OPERATOR(pg_catalog.=) 'premise' THEN
      ids := ARRAY[NEW.id];
    ELSE
      -- (an acceptance of this project committed while its row was awaited is seen here:
      -- a new statement, a new snapshot).  The project's requests first, their proposals
      -- then by their request_id, an index condition of every plan: tl_proposal keeps no
      -- planner statistics (a personal column: _hub_table_no_statistics), and joined to the
      -- requests the planner read every proposal of the hub and hashed them (until
      -- 2026-12-07; docs/performance-matching.md)
      EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(DISTINCT o.premise_id) FROM %%1$I.tl_proposal o '
                                'WHERE o.request_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT r.id FROM %%1$I.tl_request r '
                                'WHERE r.project_id OPERATOR(pg_catalog.=) $1)) '
                                'AND o.status OPERATOR(pg_catalog.=) ANY (''{accepted,ended}''::pg_catalog.text[])', hub)
        INTO ids USING NEW.id;
      IF ids IS NULL THEN
        RETURN NULL;            -- accepted nowhere
      END IF;
    END IF;
    EXECUTE pg_catalog.format('SELECT 1 FROM %%I.premises pm WHERE pm.id OPERATOR(pg_catalog.=) ANY ($1) '
                              'ORDER BY pm.id FOR NO KEY UPDATE OF pm', hub)
      USING ids;
    FOR m IN EXECUTE pg_catalog.format('SELECT pm.id, pm.capacity FROM %%I.premises pm WHERE pm.id OPERATOR(pg_catalog.=) ANY ($1) '
                                       'AND pm.capacity IS NOT NULL ORDER BY pm.id', hub)
               USING ids
    LOOP
      EXECUTE pg_catalog.format($q$
        WITH occ AS (
          SELECT @extschema@._tl_held(p.start_date, p.duration_months, o.ends_on) AS o,
                 GREATEST(coalesce(p.team_size, 1), 0)::pg_catalog.int8 AS team
            FROM %%1$I.tl_proposal o
            JOIN %%1$I.tl_request r ON r.id OPERATOR(pg_catalog.=) o.request_id
            JOIN %%1$I.projects p ON p.id OPERATOR(pg_catalog.=) r.project_id
           WHERE o.premise_id OPERATOR(pg_catalog.=) $1
             AND o.status OPERATOR(pg_catalog.=) ANY ('{accepted,ended}'::pg_catalog.text[])),
        ev AS (SELECT pg_catalog.lower(occ.o) AS t, occ.team AS d FROM occ WHERE NOT pg_catalog.isempty(occ.o)
               UNION ALL
               SELECT pg_catalog.upper(occ.o), OPERATOR(pg_catalog.-) occ.team FROM occ WHERE NOT pg_catalog.isempty(occ.o))
        SELECT pg_catalog.max(x.n)
          FROM (SELECT pg_catalog.sum(ev.d) OVER (ORDER BY ev.t, ev.d ROWS UNBOUNDED PRECEDING) AS n FROM ev) x$q$, hub)
        INTO most USING m.id;
      IF most OPERATOR(pg_catalog.>) m.capacity THEN
        IF kind OPERATOR(pg_catalog.=) 'proposal' THEN
          RAISE EXCEPTION 'premise %% has no room for request %%', NEW.premise_id, NEW.request_id
            USING ERRCODE = '23P01',
                  DETAIL = pg_catalog.format('Its capacity is %%s: with this project''s team, its accepted proposals would need more places at some time.', m.capacity),
                  HINT = 'Propose another premise, or agree other dates or a smaller team first; an agreement whose project leaves the premise is ended (UPDATE ... SET status = ''ended'', ends_on = ..., reason = ...), freeing its places from that day.';
        ELSIF kind OPERATOR(pg_catalog.=) 'premise' THEN
          RAISE EXCEPTION 'premise %% would have fewer places than its accepted proposals need', NEW.id
            USING ERRCODE = '23P01',
                  DETAIL = pg_catalog.format('At some time they place more people than %%s.', m.capacity),
                  HINT = 'Keep the capacity, or end an agreement first (UPDATE ... SET status = ''ended'', ends_on = ..., reason = ...).';
        ELSE
          RAISE EXCEPTION 'project %% would no longer fit a premise where it is accepted', NEW.id
            USING ERRCODE = '23P01',
                  DETAIL = 'At some time its team and the other accepted proposals would need more places than the premise has.',
                  HINT = 'Keep the team and dates that were accepted, or agree new ones with the premise first.';
        END IF;
      END IF;
    END LOOP;
    RETURN NULL;
  END
  $f$;
  REVOKE ALL ON FUNCTION %1$I._tl_places() FROM PUBLIC;
  -- (the extension's: DROP EXTENSION takes it, with its triggers, and create_hub makes it
  -- again; a SECURITY DEFINER function outliving the extension would be the hub owner's
  -- rights left to nobody's management.  A string body records no dependency of its own,
  -- and CREATE OR REPLACE forgets this one: said again at every create_hub.
  -- docs/platform.md, "DROP EXTENSION with a hub")
  ALTER FUNCTION %1$I._tl_places() DEPENDS ON EXTENSION smartregion;
  COMMENT ON FUNCTION %1$I._tl_places() IS
    'internal (smartregion): trigger of tl_proposal, premises and projects checking, with its owner''s rights, that a premise''s accepted proposals never place more people than its capacity at the same time (23P01); SECURITY DEFINER, see the comment in the tl_proposal DDL of smartregion';
  DROP TRIGGER IF EXISTS sr_tl_proposal_places ON %1$I.tl_proposal;
  DROP FUNCTION IF EXISTS %1$I._tl_proposal_places();
  DROP TRIGGER IF EXISTS sr_tl_places_changed ON %1$I.premises;
  DROP TRIGGER IF EXISTS sr_tl_places_changed ON %1$I.projects;
  DROP FUNCTION IF EXISTS %1$I._tl_places_changed();
  CREATE OR REPLACE TRIGGER sr_tl_places AFTER UPDATE OF status ON %1$I.tl_proposal
    FOR EACH ROW WHEN (NEW.status = 'accepted' AND OLD.status IS DISTINCT FROM 'accepted')
    EXECUTE FUNCTION %1$I._tl_places();
  CREATE OR REPLACE TRIGGER sr_tl_places AFTER UPDATE OF capacity ON %1$I.premises
    FOR EACH ROW WHEN (NEW.capacity IS NOT NULL AND (OLD.capacity IS NULL OR NEW.capacity < OLD.capacity))
    EXECUTE FUNCTION %1$I._tl_places();
  CREATE OR REPLACE TRIGGER sr_tl_places AFTER UPDATE OF team_size, start_date, duration_months ON %1$I.projects
    FOR EACH ROW WHEN (NEW.team_size IS DISTINCT FROM OLD.team_size OR NEW.start_date IS DISTINCT FROM OLD.start_date
                       OR NEW.duration_months IS DISTINCT FROM OLD.duration_months)
    EXECUTE FUNCTION %1$I._tl_places();
  -- The places left at each PUBLIC premise with a capacity in each period asked (the
  -- occupations of the requests tl_propose proposes to), counted over every territory's
  -- accepted proposals as _tl_places counts them: its capacity minus the most people their
  -- occupations place at one moment of the period (smartregion._tl_peak; an agreement ended
  -- before the period or starting after it takes no place in it).  One row a premise and
  -- period where an agreement overlaps the period; none elsewhere (the places left are the
  -- capacity, which tl_propose reads itself).  For tl_propose, which runs as its caller:
  -- under the caller's row-level security another territory's hidden agreement went
  -- uncounted, and the run proposed a premise that the acceptance then refused (23P01).
  -- SECURITY DEFINER (the hub's second such function), and why it gives out what it does:
  -- it cannot tell which premises its caller may read (PostgreSQL gives a definer function
  -- no invoker, and refuses SET ROLE in it), so it answers for the public premises only,
  -- which every role of the hub reads, and gives one number a premise and period, the
  -- places left: no request, project, proposal or territory of the agreements counted.
  -- Asked for many periods, it tells when the places of a public premise are taken (what
  -- the acceptance's refusals tell one bit at a time, a project's dates moved between
  -- tries).  A restricted premise is counted by tl_propose under its caller's rights, as
  -- before.  Safeguards as _tl_places': the hub owner's, search_path pinned, and a body
  -- bound when the hub is created (BEGIN ATOMIC: its tables are resolved then, by OID, so
  -- it names no schema at run time, a renamed hub keeps it, and nothing planted in the
  -- hub's schema is resolved with the owner's rights); EXECUTE revoked from PUBLIC,
  -- granted by grant_roles to the agents and the platform administrator, who run
  -- tl_propose.  (Before the second session of 2026-12-06 it took no period and counted
  -- every accepted proposal whatever its dates: dropped here.)
  DROP FUNCTION IF EXISTS %1$I._tl_places_left();
  -- The one query of the places left (since the fifth session of 2026-12-06: before,
  -- tl_propose wrote it a second time for the premises this function does not answer for):
  -- _tl_places_seen counts, as its caller (SECURITY INVOKER: under the caller's row-level
  -- security), the premises of the visibility asked (NULL every one, true the public ones,
  -- false the others); tl_propose calls it for the restricted premises, _tl_places_left for
  -- the public ones, over every territory's agreements (as the hub's owner).  Bound when the
  -- hub is created, as _tl_places_left (BEGIN ATOMIC: by OID).
  CREATE OR REPLACE FUNCTION %1$I._tl_places_seen(periods pg_catalog.tsrange[], public_only boolean DEFAULT NULL)
  RETURNS TABLE (premise_id bigint, period pg_catalog.tsrange, places bigint)
  LANGUAGE sql STABLE PARALLEL UNSAFE COST 1000 ROWS 1000
  SET search_path = pg_catalog, pg_temp
  BEGIN ATOMIC
    SELECT m.id, q.period, m.capacity::pg_catalog.int8 OPERATOR(pg_catalog.-) @extschema@._tl_peak(
             pg_catalog.array_agg(@extschema@._tl_held(p.start_date, p.duration_months, o.ends_on)),
             pg_catalog.array_agg(GREATEST(coalesce(p.team_size, 1), 0)::pg_catalog.int8), q.period)
      FROM %1$I.premises m
      JOIN %1$I.tl_proposal o ON o.premise_id OPERATOR(pg_catalog.=) m.id
      JOIN %1$I.tl_request r ON r.id OPERATOR(pg_catalog.=) o.request_id
      JOIN %1$I.projects p ON p.id OPERATOR(pg_catalog.=) r.project_id
      JOIN (SELECT DISTINCT u.period FROM pg_catalog.unnest(periods) u(period)) q
        ON @extschema@._tl_held(p.start_date, p.duration_months, o.ends_on) OPERATOR(pg_catalog.&&) q.period
     WHERE (public_only IS NULL
            OR (m.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public'::pg_catalog.text) OPERATOR(pg_catalog.=) public_only)
       AND m.capacity IS NOT NULL
       AND o.status OPERATOR(pg_catalog.=) ANY ('{accepted,ended}'::pg_catalog.text[])
     GROUP BY m.id, m.capacity, q.period;
  END;
  ALTER FUNCTION %1$I._tl_places_seen(pg_catalog.tsrange[], boolean) DEPENDS ON EXTENSION smartregion;   -- (as _tl_places)
  COMMENT ON FUNCTION %1$I._tl_places_seen(pg_catalog.tsrange[], boolean) IS
    'internal (smartregion): the places left at each premise with a capacity that the caller reads (every one, the public ones or the others: public_only NULL, true, false), in each period given, counted over the accepted proposals the caller reads that overlap it (capacity minus the most people they place at one moment of it; no row where none overlaps); for tl_propose and _tl_places_left';
  CREATE OR REPLACE FUNCTION %1$I._tl_places_left(periods pg_catalog.tsrange[])
  RETURNS TABLE (premise_id bigint, period pg_catalog.tsrange, places bigint)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL UNSAFE COST 1000 ROWS 1000
  SET search_path = pg_catalog, pg_temp
  BEGIN ATOMIC
    SELECT s.premise_id, s.period, s.places FROM %1$I._tl_places_seen(periods, true) s;
  END;
  REVOKE ALL ON FUNCTION %1$I._tl_places_left(pg_catalog.tsrange[]) FROM PUBLIC;
  ALTER FUNCTION %1$I._tl_places_left(pg_catalog.tsrange[]) DEPENDS ON EXTENSION smartregion;   -- (as _tl_places)
  COMMENT ON FUNCTION %1$I._tl_places_left(pg_catalog.tsrange[]) IS
    'internal (smartregion): the places left at each public premise with a capacity in each period given, counted over every territory''s accepted proposals overlapping it (capacity minus the most people they place at one moment of it; no row where none overlaps), for tl_propose; SECURITY DEFINER, see the comment in the tl_proposal DDL of smartregion';
  -- a hub made before the types: its proposals take their request's type
  ALTER TABLE %1$I.tl_proposal ADD COLUMN IF NOT EXISTS territory_type text;
  SELECT @extschema@._territory_type_inherit(%1$L, 'tl_proposal', 'tl_request', 'request_id');
  -- A proposal is its request's territory's row, public with its request; its premise
  -- may be another territory's, and be made restricted after the proposal: the premise's
  -- owner cannot make the other territory's proposals restricted (nor should it hide them
  -- from the request's territory, nor from itself).  So a proposal is shown only to whom
  -- may read its premise (the premises' own policies decide, for the caller), or to its
  -- request's territory: a premise restricted later is hidden with its proposals, and
  -- shown again with them when it is public again; nothing is written, no owner's rights.
  -- (= ANY, not EXISTS: the planner hashes the caller's premises once either way, but
  -- costed EXISTS per row, 5 M for 100,000 proposals, and JIT compiled the count for 5 s)
  DROP POLICY IF EXISTS sr_tl_premise_readable ON %1$I.tl_proposal;
  CREATE POLICY sr_tl_premise_readable ON %1$I.tl_proposal AS RESTRICTIVE FOR SELECT
    USING (@mine@ OR premise_id OPERATOR(pg_catalog.=) ANY (SELECT m.id FROM %1$I.premises m));
  -- The premise's territory sees the project leave: its agents end (accepted -> ended, with
  -- ends_on and reason) an agreement at one of its premises, though the proposal is the
  -- request's territory's row, and nothing else of it: a permissive policy for that one
  -- transition (the old row accepted, the new one ended; the trigger refuses any other
  -- column changed with it).  Of a public proposal only, as the agent reads it: a
  -- restricted one (a restricted request's, hidden from other territories) stays its
  -- request's territory's and the platform's to end; an UPDATE naming no column (which
  -- PostgreSQL checks against the write policies only, not the read ones) must not reach
  -- a row the agent cannot read.  Its history row (the request's territory's, public as
  -- the proposal) is written by the same policy on tl_history.  Before the review of
  -- 2026-12-07 (h5) only the request's territory or the platform ended an agreement.
  -- (the column create_hub gives every hub table right after its template, added here
  -- first, with the same definition, for this policy, which reads it)
  ALTER TABLE %1$I.tl_proposal ADD COLUMN IF NOT EXISTS visibility @extschema@.visibility NOT NULL DEFAULT 'public';
  DROP POLICY IF EXISTS sr_tl_premise_ends ON %1$I.tl_proposal;
  CREATE POLICY sr_tl_premise_ends ON %1$I.tl_proposal FOR UPDATE
    USING (status OPERATOR(pg_catalog.=) 'accepted'::pg_catalog.text
           AND visibility OPERATOR(pg_catalog.=) 'public'::@extschema@.visibility
           AND premise_id OPERATOR(pg_catalog.=) ANY (SELECT m.id FROM %1$I.premises m WHERE @premise_mine@))
    WITH CHECK (status OPERATOR(pg_catalog.=) 'ended'::pg_catalog.text
                AND visibility OPERATOR(pg_catalog.=) 'public'::@extschema@.visibility
                AND premise_id OPERATOR(pg_catalog.=) ANY (SELECT m.id FROM %1$I.premises m WHERE @premise_mine@))
$ddl$, '@mine@', @extschema@._territory_mine_sql(NULL, 'territory_type', 'territory_code')),
   '@premise_mine@', @extschema@._territory_mine_sql(NULL, 'm.territory_type', 'm.territory_code')), 46);

-- A hub made before a proposal made restricted took its history with it
-- (_tl_proposal_event): the history rows of such a proposal, written while it was public,
-- stayed public, read by every reader.  create_hub (the tl_history template) makes them
-- restricted, as they would have been; nothing in a hub without the column yet (a new hub:
-- create_hub adds it after the template), and no UPDATE when no row would change (each
-- statement writing a hub table is recorded in the provenance).
-- (The zones' _zae_zone_history_restrict_hidden, 50-zones.sql, is the same pattern, written
-- twice on purpose: what differs between them is the SQL itself, the two tables and the join
-- condition (here entity and proposal_id, there zone_id).  One function for both would take
-- those as arguments, table and column names or the condition as text, and build its
-- statements from them at run time, beyond the hub's name that each already quotes with
-- %I.  What they share besides, the visibility column's check and the EXISTS before the
-- UPDATE, is a few lines.)
CREATE FUNCTION @extschema@._tl_history_restrict_hidden(hub name) RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- the public history rows h of the restricted proposals p
  hidden text := 'h.entity OPERATOR(pg_catalog.=) ''proposal'' AND h.proposal_id OPERATOR(pg_catalog.=) p.id '
                 'AND p.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
                 'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''';
  any_hidden boolean;
  n bigint := 0;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.tl_history', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'visibility' AND NOT a.attisdropped) THEN
    RETURN 0;
  END IF;
  -- (create_hub's upgrade step: _hub_upgrade_guard, r-hub-guards; the reads only when they
  -- run code, the UPDATE always: the history's triggers and CHECKs)
  PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of tl_history', pg_catalog.format('%I.tl_history', hub)::pg_catalog.regclass),
          @extschema@._hub_upgrade_guard(hub, 'the visibility of tl_history', pg_catalog.format('%I.tl_proposal', hub)::pg_catalog.regclass);
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %1$I.tl_history h, %1$I.tl_proposal p WHERE %2$s)', hub, hidden)
    INTO any_hidden;
  IF any_hidden THEN
    PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of tl_history');
    EXECUTE pg_catalog.format('UPDATE %1$I.tl_history h SET visibility = ''restricted'' FROM %1$I.tl_proposal p WHERE %2$s',
                              hub, hidden);
    GET DIAGNOSTICS n = ROW_COUNT;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_history_restrict_hidden(name) IS
  'internal: in a hub made before a proposal made restricted took its history with it, makes restricted the history rows of the restricted proposals that stayed public (called by create_hub through the tl_history template; nothing when tl_history has no visibility yet, no UPDATE when no row would change); the rows changed';
REVOKE EXECUTE ON FUNCTION @extschema@._tl_history_restrict_hidden(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

SELECT @extschema@.register_hub_table('tl_history', 'tiers_lieux_requests', pg_catalog.replace(pg_catalog.replace($ddl$
  CREATE TABLE IF NOT EXISTS %1$I.tl_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    entity         text NOT NULL CONSTRAINT tl_history_entity_check CHECK (entity IN ('request', 'proposal')),
    request_id     bigint NOT NULL,
    proposal_id    bigint,
    premise_id     bigint,
    from_status    text,
    to_status      text NOT NULL,
    -- text, not name: a pseudonym ('pseudo:' and 64 hex digits, 71 bytes) was cut to 63
    actor          text NOT NULL DEFAULT CURRENT_USER,
    reason         text,
    territory_code text,
    territory_type text);
  -- ids are the database's (a hub made before took explicit ones): an id taken ahead by
  -- one territory would fail another's next insert, 23505 on a row it cannot see
  ALTER TABLE %1$I.tl_history ALTER COLUMN id SET GENERATED ALWAYS;
  CREATE INDEX IF NOT EXISTS tl_history_request_idx ON %1$I.tl_history (request_id, id);
  -- the data subjects' requests find an agent's transitions by its login (subject_export,
  -- subject_erase: docs/governance.md, requests at scale)
  CREATE INDEX IF NOT EXISTS tl_history_actor_idx ON %1$I.tl_history (actor);
  -- every status is entered at most once by a request or a proposal: one row each
  CREATE UNIQUE INDEX IF NOT EXISTS tl_history_once ON %1$I.tl_history
    (entity, (CASE WHEN entity = 'proposal' THEN proposal_id ELSE request_id END), to_status);
  CREATE OR REPLACE TRIGGER sr_tl_history_append_only BEFORE UPDATE OR DELETE ON %1$I.tl_history
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_history_append_only();
  CREATE OR REPLACE TRIGGER sr_tl_history_record BEFORE INSERT ON %1$I.tl_history
    FOR EACH ROW EXECUTE FUNCTION @extschema@._tl_history_record();
  CREATE OR REPLACE TRIGGER sr_tl_history_no_truncate BEFORE TRUNCATE ON %1$I.tl_history
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._tl_history_append_only();
  -- The event of a transition, on the channel smartregion_tierslieux, which any role that
  -- can connect may LISTEN to (PostgreSQL has no privilege on LISTEN): the identifiers of
  -- a row every reader may read (public, of no premise or a public one); of any other row,
  -- none, only the hub's name, so that a listener of another territory learns no id of a
  -- request or proposal it cannot read: it reads tl_history under its own rights from the
  -- last id it saw.  Decided at commit (a deferred constraint trigger), on the rows as they
  -- are then, read as the committing role: a request made restricted later in the
  -- transaction (with its project), or a premise made restricted, sends no id of what was
  -- public only inside the transaction.  One function per hub, as _tl_places, for its
  -- static SQL: PL/pgSQL keeps its plan, where a query of EXECUTE was planned again for
  -- every row (4,000 transitions of an agent: 6 s more at commit, 1.5 ms a row).  Not
  -- SECURITY DEFINER: it reads as the committing role, and a role that cannot read the
  -- columns sends no id rather than fail the commit.  Its body does not name the hub, as
  -- _tl_places' (above): the hub is the schema of the history table, as named at commit
  -- (after ALTER SCHEMA ... RENAME, the new name, which the event gives), whose tables it
  -- reads through the search path pg_catalog, <hub>, pg_temp set for the call only.  The
  -- table's schema, not the function's as _tl_places: it runs as the committing role, who
  -- gains nothing from a table of its own, and looking the function up in pg_trigger cost
  -- ~45 us a row, three times the rest (2,000 transitions at commit: 140 ms, against 50 ms
  -- with the hub's name written in and 60 ms this way).
  -- A partition of the history in another schema than the hub's tables sends the hub
  -- alone (its schema's name), as a row of a restricted one does.
  CREATE OR REPLACE FUNCTION %1$I._tl_history_notify() RETURNS trigger
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
  SET search_path = pg_catalog, pg_temp
  AS $f$
  DECLARE
    hub name := TG_TABLE_SCHEMA;
    everyone boolean;
  BEGIN
    PERFORM pg_catalog.set_config('search_path', pg_catalog.format('pg_catalog, %%I, pg_temp', hub), true);
    -- (a restricted row never becomes public again)
    IF NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public'
       AND pg_catalog.to_regclass(pg_catalog.format('%%I.tl_history', hub))::pg_catalog.oid
           OPERATOR(pg_catalog.=) coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID)::pg_catalog.oid
       AND pg_catalog.to_regclass(pg_catalog.format('%%I.premises', hub)) IS NOT NULL
       AND pg_catalog.has_column_privilege(TG_RELID, 'visibility', 'SELECT')
       AND pg_catalog.has_column_privilege(TG_RELID, 'premise_id', 'SELECT')
       AND pg_catalog.has_column_privilege(TG_RELID, 'id', 'SELECT')
       AND pg_catalog.has_column_privilege(pg_catalog.format('%%I.premises', hub), 'visibility', 'SELECT')
       AND pg_catalog.has_column_privilege(pg_catalog.format('%%I.premises', hub), 'id', 'SELECT') THEN
      SELECT h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public'
             AND (h.premise_id IS NULL OR EXISTS (SELECT 1 FROM premises m
                                                   WHERE m.id OPERATOR(pg_catalog.=) h.premise_id
                                                     AND m.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public'))
        INTO everyone
        FROM tl_history h WHERE h.id OPERATOR(pg_catalog.=) NEW.id;
    END IF;
    PERFORM pg_catalog.pg_notify('smartregion_tierslieux', CASE WHEN everyone THEN pg_catalog.jsonb_build_object(
      'hub', hub, 'entity', NEW.entity,
      'id', CASE WHEN NEW.entity OPERATOR(pg_catalog.=) 'proposal' THEN NEW.proposal_id ELSE NEW.request_id END,
      'request_id', NEW.request_id, 'history_id', NEW.id)
      ELSE pg_catalog.jsonb_build_object('hub', hub) END::pg_catalog.text);
    RETURN NULL;
  END
  $f$;
  ALTER FUNCTION %1$I._tl_history_notify() DEPENDS ON EXTENSION smartregion;   -- (as _tl_places)
  COMMENT ON FUNCTION %1$I._tl_history_notify() IS
    'internal (smartregion): deferred trigger of tl_history sending, at commit, a transition''s event on the channel smartregion_tierslieux: hub, entity, id, request_id, history_id for a row every reader may read (public, of no premise or a public one), the hub alone for any other';
  -- (a constraint trigger cannot be created OR REPLACE)
  DROP TRIGGER IF EXISTS sr_tl_history_notify ON %1$I.tl_history;
  CREATE CONSTRAINT TRIGGER sr_tl_history_notify AFTER INSERT ON %1$I.tl_history
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION %1$I._tl_history_notify();
  -- a hub made before the types: a proposal's history takes its proposal's type,
  -- a request's its request's (the one change _tl_history_append_only lets through)
  ALTER TABLE %1$I.tl_history ADD COLUMN IF NOT EXISTS territory_type text;
  SELECT @extschema@._territory_type_inherit(%1$L, 'tl_history', 'tl_proposal', 'proposal_id', 'proposal');
  SELECT @extschema@._territory_type_inherit(%1$L, 'tl_history', 'tl_request', 'request_id', 'request');
  -- a hub made before a restricted proposal took its history with it: that history made
  -- restricted, as it would have been
  SELECT @extschema@._tl_history_restrict_hidden(%1$L);
  -- a proposal's history rows are shown as their proposal is (sr_tl_premise_readable above)
  DROP POLICY IF EXISTS sr_tl_premise_readable ON %1$I.tl_history;
  CREATE POLICY sr_tl_premise_readable ON %1$I.tl_history AS RESTRICTIVE FOR SELECT
    USING (premise_id IS NULL OR @mine@
           OR premise_id OPERATOR(pg_catalog.=) ANY (SELECT m.id FROM %1$I.premises m));
  -- the history row of an ending by an agent of the premise's territory (sr_tl_premise_ends
  -- on tl_proposal): a public proposal's "ended" row at one of its premises; the trigger
  -- sr_tl_history_record refuses any row that does not record, as it is, a change made in
  -- the same transaction (and tl_history_once a second one).  (visibility: added here
  -- first, as on tl_proposal above)
  ALTER TABLE %1$I.tl_history ADD COLUMN IF NOT EXISTS visibility @extschema@.visibility NOT NULL DEFAULT 'public';
  DROP POLICY IF EXISTS sr_tl_premise_ends ON %1$I.tl_history;
  CREATE POLICY sr_tl_premise_ends ON %1$I.tl_history FOR INSERT
    WITH CHECK (entity OPERATOR(pg_catalog.=) 'proposal'::pg_catalog.text
                AND to_status OPERATOR(pg_catalog.=) 'ended'::pg_catalog.text
                AND visibility OPERATOR(pg_catalog.=) 'public'::@extschema@.visibility
                AND premise_id OPERATOR(pg_catalog.=) ANY (SELECT m.id FROM %1$I.premises m WHERE @premise_mine@))
$ddl$, '@mine@', @extschema@._territory_mine_sql(NULL, 'territory_type', 'territory_code')),
   '@premise_mine@', @extschema@._territory_mine_sql(NULL, 'm.territory_type', 'm.territory_code')), 47);

-- State machine ---------------------------------------------------------------------
CREATE FUNCTION @extschema@.tl_transitions()
RETURNS TABLE (entity text, from_status text, to_status text, how text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES ('request', NULL, 'open', 'INSERT of a request'),
         ('request', 'open', 'matched', 'automatic, when a proposal of the request is accepted'),
         ('request', 'open', 'withdrawn', 'an agent of the request''s territory (who writes the request), for the project''s holder, or the platform (UPDATE ... SET status = ''withdrawn''); one made once expires_at has passed is recorded as expired'),
         ('request', 'open', 'expired', 'tl_expire(), once expires_at has passed; a withdrawal made after it is recorded so'),
         ('proposal', NULL, 'pending', 'INSERT of a proposal (tl_propose or by hand) for an open request whose expires_at has not passed, of a premise the caller can read'),
         ('proposal', 'pending', 'accepted', 'an agent of the request''s territory (who writes the proposal), for an open request, within the premise''s capacity, before its expires_at'),
         ('proposal', 'pending', 'declined', 'an agent of the request''s territory (who writes the proposal), with a reason; one made once expires_at has passed is recorded as expired'),
         ('proposal', 'pending', 'withdrawn', 'the platform (a superuser or a member of smartregion_platform_admin; anyone else 42501 while the request is open), or automatic when the request is matched elsewhere, withdrawn or expires'),
         ('proposal', 'pending', 'expired', 'tl_expire(), once expires_at has passed; a decline or withdrawal made after it is recorded so'),
         ('proposal', 'accepted', 'ended', 'an agent of the request''s territory (who writes the proposal), an agent of the premise''s territory (a public proposal at one of its premises: this transition only) or the platform, with a reason and the day its places are free from (ends_on, past days included, not before the day it was accepted)')
$$;
COMMENT ON FUNCTION @extschema@.tl_transitions() IS
  'the state machine of tiers-lieux requests and proposals: every allowed transition (from_status NULL = creation) and who makes it; any other is refused with SQLSTATE 55000';

CREATE FUNCTION @extschema@._tl_refuse(entity text, id bigint, from_status text, to_status text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  allowed text;
BEGIN
  SELECT pg_catalog.string_agg(pg_catalog.format('"%s"', t.to_status), ', ' ORDER BY t.to_status) INTO allowed
    FROM @extschema@.tl_transitions() t WHERE t.entity = _tl_refuse.entity AND t.from_status = _tl_refuse.from_status;
  RAISE EXCEPTION 'cannot change % % from "%" to "%"', entity, id, from_status, to_status
    USING ERRCODE = '55000',
          DETAIL = CASE WHEN allowed IS NULL THEN pg_catalog.format('"%s" is a final state.', from_status)
                        ELSE pg_catalog.format('From "%s" a %s can only go to %s.', from_status, entity, allowed) END,
          HINT = 'The allowed transitions are listed by smartregion.tl_transitions().';
END
$$;
COMMENT ON FUNCTION @extschema@._tl_refuse(text, bigint, text, text) IS
  'internal: raises the error of a forbidden transition (55000), naming the allowed ones';

CREATE FUNCTION @extschema@._tl_restricting_only(new_row jsonb, old_row jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- the two rows differ in their visibility alone, which becomes restricted (from public:
  -- else the one difference could be another column)
  SELECT new_row OPERATOR(pg_catalog.->>) 'visibility' OPERATOR(pg_catalog.=) 'restricted'
     AND old_row OPERATOR(pg_catalog.->>) 'visibility' OPERATOR(pg_catalog.=) 'public'
     AND (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_each(new_row) n
           WHERE n.value IS DISTINCT FROM old_row OPERATOR(pg_catalog.->) n.key) OPERATOR(pg_catalog.=) 1
$$;
COMMENT ON FUNCTION @extschema@._tl_restricting_only(jsonb, jsonb) IS
  'internal: whether two versions of a request''s, proposal''s or history row differ in their visibility alone, which becomes restricted (allowed on a final request or proposal, and on tl_history; and, their geometry left out, on zae_zone_history by _zae_zone_history_append_only)';

CREATE FUNCTION @extschema@._tl_clearing_only(new_row jsonb, old_row jsonb, free_text text[])
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- the two rows differ, and only in free-text columns that become NULL (an erasure's or the
  -- retention's clearing, _erase_rows: the text goes, the row stays)
  SELECT EXISTS (SELECT 1 FROM pg_catalog.jsonb_each(new_row) n
                  WHERE n.value IS DISTINCT FROM old_row OPERATOR(pg_catalog.->) n.key)
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.jsonb_each(new_row) n
                      WHERE n.value IS DISTINCT FROM old_row OPERATOR(pg_catalog.->) n.key
                        AND NOT (n.key OPERATOR(pg_catalog.=) ANY (free_text)
                                 AND n.value OPERATOR(pg_catalog.=) 'null'::jsonb))
$$;
COMMENT ON FUNCTION @extschema@._tl_clearing_only(jsonb, jsonb, text[]) IS
  'internal: whether two versions of a request''s, proposal''s or history row differ only in the given free-text columns, each of which becomes NULL (cleared; allowed on a final request or proposal, and on tl_history within an erasure)';

-- A request, its proposals and their history are rows of their project's territory.  A
-- project moved to another territory would leave them behind, and that territory's delete of
-- the project would then delete them (the key's cascade, as the table's owner, without
-- row-level security): a project with requests keeps its territory (its type may be given)
CREATE FUNCTION @extschema@._tl_project_territory()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  has_requests boolean;
BEGIN
  -- (the same territory, or an untyped row of a hub made before the types given its type:
  -- its requests then take it, _territory_type_inherit)
  IF NEW.territory_code IS NOT DISTINCT FROM OLD.territory_code
     AND (OLD.territory_type IS NULL
          OR @extschema@._territory_type_or_implied(NEW.territory_type, NEW.territory_code)
             IS NOT DISTINCT FROM @extschema@._territory_type_or_implied(OLD.territory_type, OLD.territory_code)) THEN
    RETURN NEW;
  END IF;
  -- (as the caller: its requests are of the project's territory, which whoever may
  -- write the project reads)
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.tl_request r WHERE r.project_id OPERATOR(pg_catalog.=) $1)',
                            TG_TABLE_SCHEMA) INTO has_requests USING OLD.id;
  IF has_requests THEN
    RAISE EXCEPTION 'cannot change the territory of project %: it has requests', OLD.id USING ERRCODE = '55000',
      DETAIL = 'Its requests, their proposals and their history are rows of its territory.',
      HINT = 'Keep the project in its territory, or delete its requests first.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_project_territory() IS
  'internal: trigger of <hub>.projects: a project with tiers-lieux requests keeps its territory (55000), typing an untyped one being allowed; else a delete by its new territory would take the old territory''s requests and proposals';

-- A project with an open request, or a matched one whose agreement is not ended (accepted,
-- not "ended"), keeps what a request needs (_tl_request_need):
-- its team does not become 0 and its period does not become empty, as a new request for it
-- would be refused.  Before the sixth session of 2026-12-06 the change passed and tl_propose
-- skipped the request, with a WARNING, at each run.  Only the change that makes it so is
-- refused (a row already so, from before, may still change otherwise).  A matched request
-- is an agreement made, whose team may shrink and time narrow (the places rule:
-- _tl_places), but not to nobody or to no time: an agreement that holds places for no one
-- (before the review of 2026-12-07 (h2) both changes passed for a matched request)
CREATE FUNCTION @extschema@._tl_project_need()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  no_team boolean;
  no_time boolean;
  held_by text;
BEGIN
  no_team := NEW.team_size OPERATOR(pg_catalog.=) 0 AND OLD.team_size IS DISTINCT FROM 0;
  no_time := pg_catalog.isempty(@extschema@._tl_occupation(NEW.start_date, NEW.duration_months))
             AND NOT pg_catalog.isempty(@extschema@._tl_occupation(OLD.start_date, OLD.duration_months));
  IF NOT (no_team OR no_time) THEN
    RETURN NEW;
  END IF;
  -- (as the caller: its requests are of the project's territory, which whoever may write
  -- the project reads)
  -- (one open request a project, and any matched ones whose agreement is not ended: the
  -- open one named first, 'open' sorting after 'matched')
  EXECUTE pg_catalog.format('SELECT pg_catalog.max(r.status) FROM %1$I.tl_request r WHERE r.project_id OPERATOR(pg_catalog.=) $1 '
                            'AND (r.status OPERATOR(pg_catalog.=) ''open'' OR (r.status OPERATOR(pg_catalog.=) ''matched'' '
                            'AND EXISTS (SELECT 1 FROM %1$I.tl_proposal o WHERE o.request_id OPERATOR(pg_catalog.=) r.id '
                            'AND o.status OPERATOR(pg_catalog.=) ''accepted'')))', TG_TABLE_SCHEMA)
    INTO held_by USING OLD.id;
  IF held_by IS NOT NULL THEN
    -- (what did not change is passed as fitting: a NULL team is 1, no start is for ever)
    PERFORM @extschema@._tl_request_need(NEW.id, CASE WHEN no_team THEN 0 END, CASE WHEN no_time THEN NEW.start_date END,
                                         CASE WHEN no_time THEN NEW.duration_months END, held_by);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_project_need() IS
  'internal: trigger of <hub>.projects: a project with an open tiers-lieux request, or a matched one whose agreement is not ended, keeps a team of one person at least and a period that is not empty (23514, as a new request for it)';

CREATE FUNCTION @extschema@._tl_project_restricted()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- a project made restricted takes its requests with it (and they their proposals)
  EXECUTE pg_catalog.format('UPDATE %I.tl_request r SET visibility = ''restricted'' '
                            'WHERE r.project_id OPERATOR(pg_catalog.=) $1 '
                            'AND r.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', TG_TABLE_SCHEMA)
    USING NEW.id;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_project_restricted() IS
  'internal: trigger of projects: a project made restricted makes its tiers-lieux requests, and through them their proposals, restricted';

CREATE FUNCTION @extschema@._tl_request_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s text := pg_catalog.quote_ident(TG_TABLE_SCHEMA);
  ok boolean;
  proj_territory text;
  proj_type text;
  proj_visibility text;
  proj_found boolean;
  proj_team int;
  proj_start date;
  proj_months float8;
  lk record;
  n_lk bigint;
BEGIN
  -- the project as the caller sees it (row-level security): a request is made
  -- only for a project the caller can read, in the project's territory, and is
  -- restricted when the project is (a hidden project and a missing one give
  -- the same error)
  IF TG_OP = 'INSERT' OR NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public' THEN
    EXECUTE pg_catalog.format('SELECT p.territory_code, p.territory_type, p.visibility::pg_catalog.text, true, p.team_size, '
                              'p.start_date, p.duration_months FROM %s.projects p WHERE p.id OPERATOR(pg_catalog.=) $1', s)
      INTO proj_territory, proj_type, proj_visibility, proj_found, proj_team, proj_start, proj_months USING NEW.project_id;
  END IF;
  IF proj_found IS NULL AND TG_OP = 'INSERT' THEN
    RAISE EXCEPTION 'project % is not in hub "%" or not visible to you', NEW.project_id, TG_TABLE_SCHEMA
      USING ERRCODE = '23503', HINT = 'A request is made for a project of the hub''s projects table that you can read.';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.territory_code IS NULL THEN
      NEW.territory_code := proj_territory;
      NEW.territory_type := proj_type;
    ELSIF NEW.territory_type IS NULL AND NEW.territory_code IS NOT DISTINCT FROM proj_territory THEN
      NEW.territory_type := proj_type;
    END IF;
    -- (the same territory, typed or not: an untyped code names the one type its
    -- shape admits)
    IF proj_territory IS NOT NULL AND (NEW.territory_code IS DISTINCT FROM proj_territory
                                          OR @extschema@._territory_type_or_implied(NEW.territory_type, NEW.territory_code)
                                             IS DISTINCT FROM @extschema@._territory_type_or_implied(proj_type, proj_territory)) THEN
      RAISE EXCEPTION 'a request belongs to the territory of its project' USING ERRCODE = '23514',
        DETAIL = pg_catalog.format('Project %s is of territory %s, not %s.', NEW.project_id,
                                   pg_catalog.concat_ws(' ', proj_type, proj_territory), pg_catalog.concat_ws(' ', NEW.territory_type, NEW.territory_code));
    END IF;
    IF proj_visibility OPERATOR(pg_catalog.=) 'restricted' THEN
      NEW.visibility := 'restricted';
    END IF;
  ELSIF proj_visibility OPERATOR(pg_catalog.=) 'restricted'
        AND NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public' THEN
    -- (a project made restricted makes its requests so at once: _tl_project_restricted)
    RAISE EXCEPTION 'request % stays restricted', OLD.id USING ERRCODE = '23514',
      DETAIL = 'A request is restricted when its project is.';
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- a request is for one place at least: a team of 0 needs no premise (before the fifth
    -- session of 2026-12-06 it was proposed one, taking none of its places)
    -- and for some time (an empty period: the sixth session; before, tl_propose gave it the
    -- premise's whole capacity, though the acceptance counted it nowhere).  The project's row
    -- is held (FOR SHARE, by a caller who may write it: the others' requests are refused by
    -- row-level security anyway) until the request's transaction ends, and read as last
    -- committed: a change of its team or dates made at the same time waits for the request,
    -- then sees it (sr_tl_project_need), or the request waits for the change and checks it
    -- (specs/tl_need.spec; before, both passed: an open request for a team of 0)
    IF proj_found THEN
      IF pg_catalog.has_any_column_privilege(pg_catalog.format('%s.projects', s), 'UPDATE') THEN
        EXECUTE pg_catalog.format('SELECT p.team_size, p.start_date, p.duration_months FROM %s.projects p '
                                  'WHERE p.id OPERATOR(pg_catalog.=) $1 FOR SHARE OF p', s)
          INTO lk USING NEW.project_id;
        GET DIAGNOSTICS n_lk = ROW_COUNT;
        IF n_lk OPERATOR(pg_catalog.=) 1 THEN
          proj_team := lk.team_size;
          proj_start := lk.start_date;
          proj_months := lk.duration_months;
        END IF;
      END IF;
      PERFORM @extschema@._tl_request_need(NEW.project_id, proj_team, proj_start, proj_months, NULL);
    END IF;
    IF NEW.status IS DISTINCT FROM 'open' THEN
      RAISE EXCEPTION 'a new request must be "open", not "%"', NEW.status USING ERRCODE = '55000',
        HINT = 'Insert the request without a status; it changes through its proposals.';
    END IF;
    NEW.created_at := pg_catalog.now();
    NEW.status_changed_at := NEW.created_at;
    NEW.expires_at := coalesce(NEW.expires_at, NEW.created_at + interval '90 days');
    -- a request expires after it is made (NULL: the default, 90 days): one born expired
    -- would take no proposal (before the review of 2026-12-06 (h11) it was made, open
    -- until tl_expire's next run)
    IF NEW.expires_at OPERATOR(pg_catalog.<=) NEW.created_at THEN
      RAISE EXCEPTION 'a request must expire after it is made' USING ERRCODE = '23514',
        DETAIL = pg_catalog.format('Its expires_at is %s, now is %s.', NEW.expires_at, NEW.created_at),
        HINT = 'Give an expires_at to come, or none (90 days).';
    END IF;
    RETURN NEW;
  END IF;
  -- an untyped request of a hub made before the types may be typed, nothing else
  IF OLD.territory_type IS NULL AND NEW.territory_type IS NOT NULL
     AND @extschema@._territory_typing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
    RETURN NEW;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.project_id IS DISTINCT FROM OLD.project_id
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.territory_code IS DISTINCT FROM OLD.territory_code
     OR NEW.territory_type IS DISTINCT FROM OLD.territory_type THEN
    RAISE EXCEPTION 'cannot change the id, project, territory or creation time of request %', OLD.id USING ERRCODE = '55000';
  END IF;
  -- a request always expires, as at its insert (where NULL is the default, 90 days): before
  -- the review of 2026-12-06 (h11) an update to NULL made an open request never expire
  IF NEW.expires_at IS NULL AND OLD.expires_at IS NOT NULL THEN
    RAISE EXCEPTION 'request % must keep an expires_at', OLD.id USING ERRCODE = '23514',
      DETAIL = pg_catalog.format('It expires at %s; a request cannot be made never to expire.', OLD.expires_at),
      HINT = 'Set a later expires_at instead.';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.tl_transitions() t
                    WHERE t.entity = 'request' AND t.from_status = OLD.status AND t.to_status = NEW.status) THEN
      PERFORM @extschema@._tl_refuse('request', OLD.id, OLD.status, NEW.status);
    END IF;
    IF NEW.status = 'matched' THEN
      EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s.tl_proposal p WHERE p.request_id OPERATOR(pg_catalog.=) $1 '
                                'AND p.status OPERATOR(pg_catalog.=) ''accepted'')', s)
        INTO STRICT ok USING OLD.id;
      IF NOT ok THEN
        RAISE EXCEPTION 'request % cannot be matched without an accepted proposal', OLD.id USING ERRCODE = '55000',
          HINT = 'A request is matched when the owner of a proposed premise accepts: UPDATE tl_proposal SET status = ''accepted''.';
      END IF;
    END IF;
    IF NEW.status = 'expired' AND OLD.expires_at > pg_catalog.now() THEN
      RAISE EXCEPTION 'request % has not expired yet', OLD.id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('It expires at %s.', OLD.expires_at), HINT = 'Withdraw it instead.';
    END IF;
    -- a transition changes its status and reason, nothing else (its note, expires_at: in
    -- an UPDATE of their own while it is open), as a proposal's; before the review of
    -- 2026-12-07 (h5, second session) a withdrawal rewrote the note or expiry of the
    -- request it made final.  Checked on the transition asked for, before a late
    -- withdrawal is recorded as expired (below), and on the row as written (_tl_request_event)
    PERFORM @extschema@._tl_transition_only('request', OLD.id, NEW.status, pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD));
    -- a request's time is up at its expires_at, whether tl_expire has run or not: a late
    -- withdrawal records it as "expired", as its proposals' (_tl_proposal_check), its
    -- reason left as it was (before the review of 2026-12-06 (h11): "withdrawn")
    IF NEW.status = 'withdrawn' AND OLD.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
      IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.=) 1 THEN
        RAISE NOTICE 'request % has expired: recorded as "expired", not "withdrawn"', OLD.id
          USING DETAIL = pg_catalog.format('It expired at %s.', OLD.expires_at);
      END IF;
      NEW.status := 'expired';
      NEW.reason := OLD.reason;
    END IF;
    NEW.status_changed_at := pg_catalog.now();
  ELSIF OLD.status <> 'open' AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*)
        AND NOT @extschema@._tl_restricting_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD))
        AND NOT @extschema@._tl_clearing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD), ARRAY['note', 'reason']) THEN
    -- (a final request may still become restricted, with its project, and have its free
    -- text cleared, the registered personal data that subject_erase and purge_expired
    -- clear and its territory may take back: the request stays)
    RAISE EXCEPTION 'request % is "%" and can no longer change', OLD.id, OLD.status USING ERRCODE = '55000',
      DETAIL = 'A matched, withdrawn or expired request is final; open a new request for the project.';
  ELSE
    NEW.status_changed_at := OLD.status_changed_at;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_request_check() IS
  'internal: trigger enforcing the state machine of tl_request (allowed transitions, each changing the status and reason only (_tl_transition_only), immutable id, project, territory and creation time, final states but for their note and reason cleared, timestamps), a project the caller can read with a team of one person at least and a period that is not empty, the project''s territory and, for a restricted project, restricted visibility';

CREATE FUNCTION @extschema@._tl_record_transition(hub name, entity text, id bigint, request_id bigint, premise_id bigint,
                                                  from_status text, to_status text, reason text, territory_code text,
                                                  territory_type text, visibility @extschema@.visibility)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the history row has the territory and visibility of its request or proposal; its
  -- event is sent at commit by the row's deferred trigger (<hub>._tl_history_notify)
  EXECUTE pg_catalog.format('INSERT INTO %I.tl_history (entity, request_id, proposal_id, premise_id, from_status, '
                            'to_status, reason, territory_code, territory_type, visibility) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', hub)
    USING entity, request_id, CASE WHEN entity = 'proposal' THEN id END, premise_id, from_status, to_status, reason,
          territory_code, territory_type, visibility;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_record_transition(name, text, bigint, bigint, bigint, text, text, text, text, text, @extschema@.visibility) IS
  'internal: records a transition in <hub>.tl_history (with its request''s or proposal''s territory, its type included, and visibility); the row''s trigger sr_tl_history_notify sends its event at commit';

CREATE FUNCTION @extschema@._tl_request_event()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- a request made restricted (with its project) takes its proposals with it, final
  -- ones included
  IF TG_OP = 'UPDATE' AND NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
     AND OLD.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public' THEN
    EXECUTE pg_catalog.format('UPDATE %I.tl_proposal p SET visibility = ''restricted'' '
                              'WHERE p.request_id OPERATOR(pg_catalog.=) $1 '
                              'AND p.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', TG_TABLE_SCHEMA)
      USING NEW.id;
    -- and their history, written while they were public (its one allowed change)
    EXECUTE pg_catalog.format('UPDATE %I.tl_history h SET visibility = ''restricted'' '
                              'WHERE h.request_id OPERATOR(pg_catalog.=) $1 '
                              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', TG_TABLE_SCHEMA)
      USING NEW.id;
  END IF;
  -- a request's expiry brought forward brings forward its pending proposals' (a proposal
  -- never outlives its request; before the fifth session of 2026-12-06 only the insert cut
  -- it, and a request shortened later left its proposals pending after it had expired)
  IF TG_OP = 'UPDATE' AND NEW.expires_at OPERATOR(pg_catalog.<) OLD.expires_at THEN
    EXECUTE pg_catalog.format('UPDATE %I.tl_proposal p SET expires_at = $2 '
                              'WHERE p.request_id OPERATOR(pg_catalog.=) $1 AND p.status OPERATOR(pg_catalog.=) ''pending'' '
                              'AND p.expires_at OPERATOR(pg_catalog.>) $2', TG_TABLE_SCHEMA)
      USING NEW.id, NEW.expires_at;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  -- the row as written, after every BEFORE trigger (as _tl_proposal_event: a trigger of
  -- one's own firing after sr_tl_request_check)
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'open' THEN
      RAISE EXCEPTION 'a new request must be "open", not "%"', NEW.status USING ERRCODE = '55000',
        DETAIL = 'A trigger that fired after sr_tl_request_check changed its status.';
    END IF;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM @extschema@.tl_transitions() t
                    WHERE t.entity = 'request' AND t.from_status = OLD.status AND t.to_status = NEW.status) THEN
      PERFORM @extschema@._tl_refuse('request', OLD.id, OLD.status, NEW.status);
    END IF;
    PERFORM @extschema@._tl_transition_only('request', OLD.id, NEW.status, pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD));
  END IF;
  PERFORM @extschema@._tl_record_transition(TG_TABLE_SCHEMA, 'request', NEW.id, NEW.id, NULL,
                                 CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.reason, NEW.territory_code,
                                 NEW.territory_type, NEW.visibility);
  -- a request that leaves "open" withdraws its pending proposals
  IF NEW.status <> 'open' THEN
    EXECUTE pg_catalog.format('UPDATE %I.tl_proposal p SET status = ''withdrawn'', reason = $2 '
                              'WHERE p.request_id OPERATOR(pg_catalog.=) $1 AND p.status OPERATOR(pg_catalog.=) ''pending''',
                              TG_TABLE_SCHEMA)
      USING NEW.id, pg_catalog.format('request %s', NEW.status);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_request_event() IS
  'internal: trigger recording a request''s transitions (history, NOTIFY) after checking the row as written (a new one open, a transition allowed and changing its own columns only), withdrawing its pending proposals when it leaves "open", and bringing their expiry forward with its own';

-- The columns a transition of a request or proposal changes, and nothing else (55000 on
-- another one)
CREATE FUNCTION @extschema@._tl_transition_only(entity text, id bigint, to_status text, new_row jsonb, old_row jsonb)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- every answer says why if it will (reason: the history keeps it as the transition's),
  -- an ending from which day (ends_on); answered_at and status_changed_at are the
  -- transition's time, set by the triggers (a value given is replaced); a request follows
  -- its project made restricted at its next change (_tl_request_check), public to
  -- restricted being the one change a final row takes anyway
  owned text[] := CASE WHEN entity = 'request' THEN '{status,reason,status_changed_at}'::pg_catalog.text[]
                       WHEN to_status = 'ended' THEN '{status,reason,answered_at,ends_on}'::pg_catalog.text[]
                       ELSE '{status,reason,answered_at}'::pg_catalog.text[] END;
  changed_col text;
BEGIN
  IF new_row OPERATOR(pg_catalog.->>) 'visibility' OPERATOR(pg_catalog.=) 'restricted'
     AND old_row OPERATOR(pg_catalog.->>) 'visibility' OPERATOR(pg_catalog.=) 'public' THEN
    owned := owned OPERATOR(pg_catalog.||) 'visibility'::pg_catalog.text;
  END IF;
  -- (the rows without the owned columns compared whole first: every transition pays it,
  -- tl_expire's bulk expiries included; the column is looked for only when they differ)
  IF (new_row OPERATOR(pg_catalog.-) owned) OPERATOR(pg_catalog.=) (old_row OPERATOR(pg_catalog.-) owned) THEN
    RETURN;
  END IF;
  SELECT n.key INTO changed_col
    FROM pg_catalog.jsonb_each(new_row) n
   WHERE n.value IS DISTINCT FROM old_row OPERATOR(pg_catalog.->) n.key
     AND NOT n.key OPERATOR(pg_catalog.=) ANY (owned)
   ORDER BY n.key LIMIT 1;
  IF changed_col IS NULL THEN
    RETURN;
  END IF;
  RAISE EXCEPTION 'cannot change column "%" of % % when %', changed_col, entity, id,
    CASE to_status WHEN 'accepted' THEN 'accepting it' WHEN 'declined' THEN 'declining it'
                   WHEN 'withdrawn' THEN 'withdrawing it' WHEN 'expired' THEN 'expiring it'
                   WHEN 'ended' THEN 'ending it' WHEN 'matched' THEN 'matching it'
                   ELSE pg_catalog.format('making it "%s"', to_status) END
    USING ERRCODE = '55000',
      DETAIL = CASE to_status
                 WHEN 'ended' THEN 'An ending sets the status, the ends_on and the reason only.'
                 WHEN 'accepted' THEN 'An acceptance sets the status and the reason only: a proposal is accepted as it stands.'
                 WHEN 'declined' THEN 'A decline sets the status and the reason only.'
                 WHEN 'withdrawn' THEN 'A withdrawal sets the status and the reason only.'
                 WHEN 'matched' THEN 'A match sets the status and the reason only.'
                 ELSE 'An expiry sets the status and the reason only.' END,
      HINT = CASE to_status
               WHEN 'ended' THEN 'UPDATE ... SET status = ''ended'', ends_on = ..., reason = ''...''.'
               WHEN 'declined' THEN 'UPDATE ... SET status = ''declined'', reason = ''...''.'
               WHEN 'withdrawn' THEN 'UPDATE ... SET status = ''withdrawn'', reason = ''...''.'
               WHEN 'expired' THEN 'Run smartregion.tl_expire(), or UPDATE ... SET status = ''expired''.'
               WHEN 'matched' THEN 'A request is matched by the acceptance of one of its proposals.'
               ELSE 'UPDATE ... SET status = ''accepted'' (and a reason, if any); a pending proposal''s other columns change in an UPDATE of their own, before it is answered.' END;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_transition_only(text, bigint, text, jsonb, jsonb) IS
  'internal: raises 55000 when a transition of a request or proposal to to_status changes a column it does not own (the status and the reason; an ending also its ends_on; visibility from public to restricted; the time of the change is the trigger''s)';

CREATE FUNCTION @extschema@._tl_proposal_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s text := pg_catalog.quote_ident(TG_TABLE_SCHEMA);
  req record;
  prem record;
  locked_status text;
  req_status text;
  -- (read through jsonb: a hub made before the column has none until create_hub runs again)
  end_day date := (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'ends_on')::date;
  old_end_day date;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'pending' THEN
      RAISE EXCEPTION 'a new proposal must be "pending", not "%"', NEW.status USING ERRCODE = '55000';
    END IF;
    IF end_day IS NOT NULL THEN
      RAISE EXCEPTION 'only an ended proposal has an ends_on' USING ERRCODE = '23514',
        HINT = 'An accepted proposal is ended with UPDATE ... SET status = ''ended'', ends_on = ..., reason = ....';
    END IF;
  ELSE
    -- an untyped proposal of a hub made before the types may be typed, nothing else
    IF OLD.territory_type IS NULL AND NEW.territory_type IS NOT NULL
     AND @extschema@._territory_typing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
      RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.request_id IS DISTINCT FROM OLD.request_id
       OR NEW.premise_id IS DISTINCT FROM OLD.premise_id OR NEW.proposed_at IS DISTINCT FROM OLD.proposed_at
       OR NEW.territory_code IS DISTINCT FROM OLD.territory_code OR NEW.territory_type IS DISTINCT FROM OLD.territory_type THEN
      RAISE EXCEPTION 'cannot change the id, request, premise, territory or time of proposal %', OLD.id USING ERRCODE = '55000';
    END IF;
    IF NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public'
       AND OLD.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted' THEN
      RAISE EXCEPTION 'proposal % stays restricted', OLD.id USING ERRCODE = '23514',
        DETAIL = 'A proposal is restricted when its request or its premise is.';
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
      -- (a final proposal may still become restricted, with its request, and have its reason
      -- cleared, registered personal data: subject_erase, purge_expired, or its territory)
      IF OLD.status <> 'pending' AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*)
         AND NOT @extschema@._tl_restricting_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD))
         AND NOT @extschema@._tl_clearing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD), ARRAY['reason']) THEN
        RAISE EXCEPTION 'proposal % is "%" and can no longer change', OLD.id, OLD.status USING ERRCODE = '55000';
      END IF;
      old_end_day := (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) 'ends_on')::date;
      IF end_day IS DISTINCT FROM old_end_day THEN
        RAISE EXCEPTION 'only an ended proposal has an ends_on' USING ERRCODE = '23514',
          HINT = 'An accepted proposal is ended with UPDATE ... SET status = ''ended'', ends_on = ..., reason = ....';
      END IF;
      -- A pending proposal changed (its expiry, score, ...) locks its request's row at once
      -- (FOR NO KEY UPDATE), as its acceptance does (below): a transaction that changes it,
      -- then accepts it in a later statement, holds the request from the first, so that a
      -- withdrawal of the request in between waits for it, then is refused (matched).
      -- Before the review of 2026-12-07 (h9) the first statement held the proposal's row
      -- only: the withdrawal held the request and waited for the proposal, the acceptance
      -- for the request, and the two deadlocked (40P01, specs/tl_lock_order_earlier.spec).
      -- (A request changed by this transaction, whose trigger changes its proposals: its
      -- row is this transaction's already.)
      IF OLD.status OPERATOR(pg_catalog.=) 'pending'
         AND pg_catalog.has_any_column_privilege(pg_catalog.format('%s.tl_request', s), 'UPDATE') THEN
        EXECUTE pg_catalog.format('SELECT r.status FROM %s.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE OF r', s)
          INTO locked_status USING NEW.request_id;
      END IF;
      -- a pending proposal's expiry moved (by hand, or brought forward with its request's:
      -- _tl_request_event) is never after its request's
      IF NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
        EXECUTE pg_catalog.format('SELECT r.expires_at FROM %s.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1', s)
          INTO req USING NEW.request_id;
        NEW.expires_at := least(NEW.expires_at, req.expires_at);
      END IF;
      RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM @extschema@.tl_transitions() t
                    WHERE t.entity = 'proposal' AND t.from_status = OLD.status AND t.to_status = NEW.status) THEN
      PERFORM @extschema@._tl_refuse('proposal', OLD.id, OLD.status, NEW.status);
    END IF;
    IF NEW.status = 'expired' AND OLD.expires_at > pg_catalog.now() THEN
      RAISE EXCEPTION 'proposal % has not expired yet', OLD.id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('It expires at %s.', OLD.expires_at),
        HINT = 'Decline it with a reason, or let the platform withdraw it.';
    END IF;
    -- a proposal is withdrawn by the platform (a superuser or a platform administrator), or
    -- automatically with its request, once the request has left "open" (matched by another
    -- proposal, withdrawn, expired: _tl_request_event, run as the caller); the agents of the
    -- request's territory answer it: accept it, or decline it with a reason, which the
    -- history keeps as theirs.  Before the review of 2026-12-07 (h2) any writer of the
    -- proposal withdrew it (tl_transitions() and the docs said "the platform").  Checked
    -- before a late withdrawal is recorded as expired (below): it is refused the same.
    -- "The platform": who the caller may act as (MEMBER).  A NOINHERIT member of
    -- smartregion_platform_admin, whose policies show it its own territories' rows only,
    -- withdraws the proposals it can write: no more than it may as the group after
    -- SET ROLE (every member may on PostgreSQL 15), which writes every row; nothing here
    -- depends on what it reads (review of 2026-12-07, h9: noinherit_platform.sql).
    IF NEW.status = 'withdrawn' AND NOT @extschema@._caller_is_privileged() THEN
      EXECUTE pg_catalog.format('SELECT r.status FROM %s.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1', s)
        INTO req_status USING NEW.request_id;
      IF req_status IS NULL OR req_status OPERATOR(pg_catalog.=) 'open' THEN
        RAISE EXCEPTION 'permission denied to withdraw proposal %', OLD.id USING ERRCODE = '42501',
          DETAIL = 'A proposal is withdrawn by the platform, or with its request when the request is matched, withdrawn or expires.',
          HINT = 'Decline it with a reason (UPDATE ... SET status = ''declined'', reason = ''...''), or withdraw its request.';
      END IF;
    END IF;
    -- A transition changes what it owns and nothing else: its status and reason (the
    -- answer's why, which the history keeps), and an ending its ends_on (answered_at is
    -- set below).  A pending proposal's other columns (its score, method, expiry) change
    -- in an UPDATE of their own, before it is answered: a proposal is accepted as it stands,
    -- and an answer is recorded on the proposal it answered.  Before the review of
    -- 2026-12-07 (h5, second session) only the ending was held to it: an acceptance could
    -- alter the score or the expiry in the same UPDATE.  Checked on the transition asked
    -- for, before a late one is recorded as expired (below), and again on the row as
    -- written (_tl_proposal_event: a trigger of the caller's own that fires after this one).
    PERFORM @extschema@._tl_transition_only('proposal', OLD.id, NEW.status, pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD));
    -- a proposal's time is up at its expires_at, whether tl_expire has run or not: a late
    -- decline or withdrawal (by hand, or with its request leaving "open") records it as
    -- "expired", as tl_expire would have, its reason left as it was; the answer it asked
    -- for, no agreement, holds (before the review of 2026-12-06 (h11) it was recorded as
    -- declined or withdrawn, and so the same lateness ended in one state or another by
    -- who came first, the owner or the scheduler)
    IF NEW.status IN ('declined', 'withdrawn') AND OLD.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
      IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.=) 1 THEN
        RAISE NOTICE 'proposal % has expired: recorded as "expired", not "%"', OLD.id, NEW.status
          USING DETAIL = pg_catalog.format('It expired at %s.', OLD.expires_at);
      END IF;
      NEW.status := 'expired';
      NEW.reason := OLD.reason;
    END IF;
    -- an expired proposal is not accepted, whether tl_expire has run or not (a scheduler's
    -- job: before the sixth session of 2026-12-06 a proposal whose time was up, and its
    -- request's with it, was accepted until the next run, and the request matched)
    IF NEW.status = 'accepted' AND OLD.expires_at <= pg_catalog.now() THEN
      RAISE EXCEPTION 'proposal % has expired', OLD.id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('It expired at %s.', OLD.expires_at),
        HINT = 'Move its expires_at later first (never past its request''s), or let tl_expire expire it.';
    END IF;
    -- An agreement ended (accepted -> ended: its project leaves the premise), by whoever
    -- writes the proposal (an agent of its request's territory, the platform) or by an agent
    -- of its premise's territory (the policy sr_tl_premise_ends: a public agreement at one
    -- of its premises, this transition only), says why and from which day its places are
    -- free; they are counted up to that day (_tl_held), its request staying matched.  The
    -- day may be past (a manager records on the 10th that the project left on the 1st:
    -- the places were free since), but not before the day the proposal was accepted
    -- (answered_at, its acceptance's time while it is accepted): the agreement did not
    -- exist before, and what it held then is no one's to free.  A day before the project's
    -- start is no obstacle: a project that never moved in held nothing.  Ending only frees
    -- places (its held time becomes a part of what it was), so no premise's count can
    -- break: no recount (sr_tl_places fires on acceptances).  The history row records who
    -- ended it and when (actor, at), the proposal the day.  Before the review of
    -- 2026-12-07 (h5) the day had to be today or later (23514 "cannot end before today"),
    -- and only the request's territory or the platform ended an agreement; before the
    -- review of 2026-12-07 (h2) an accepted proposal was final and held its places for the
    -- project's whole period, shortening the project being the only way out, unrecorded.
    IF NEW.status = 'ended' THEN
      -- (its other columns: checked above, _tl_transition_only)
      IF end_day IS NULL THEN
        RAISE EXCEPTION 'proposal % cannot be ended without an ends_on', OLD.id USING ERRCODE = '23514',
          DETAIL = 'The ends_on is the day its places are free from.',
          HINT = 'UPDATE ... SET status = ''ended'', ends_on = ''2027-03-01'', reason = ''...''.';
      END IF;
      IF end_day OPERATOR(pg_catalog.<) OLD.answered_at::date THEN
        RAISE EXCEPTION 'proposal % cannot end before it was accepted', OLD.id USING ERRCODE = '23514',
          DETAIL = pg_catalog.format('Its ends_on is %s; it was accepted on %s.', end_day, OLD.answered_at::date),
          HINT = 'Give the day of its acceptance or a later one; a day before the project''s start is allowed.';
      END IF;
      IF NEW.reason IS NULL THEN
        RAISE EXCEPTION 'proposal % cannot be ended without a reason', OLD.id USING ERRCODE = '23514',
          HINT = 'UPDATE ... SET status = ''ended'', ends_on = ..., reason = ''...''.';
      END IF;
    ELSIF end_day IS NOT NULL THEN
      RAISE EXCEPTION 'only an ended proposal has an ends_on' USING ERRCODE = '23514',
        HINT = 'An accepted proposal is ended with UPDATE ... SET status = ''ended'', ends_on = ..., reason = ....';
    END IF;
    -- a decline says why (at the decline only: the reason may be cleared later, as
    -- personal data, and the proposal stays declined)
    IF NEW.status = 'declined' AND NEW.reason IS NULL THEN
      RAISE EXCEPTION 'proposal % cannot be declined without a reason', OLD.id USING ERRCODE = '23514',
        HINT = 'UPDATE ... SET status = ''declined'', reason = ''...''.';
    END IF;
    NEW.answered_at := pg_catalog.now();
    IF NEW.status <> 'accepted' THEN
      RETURN NEW;
    END IF;
  END IF;
  -- a proposal is made, and accepted, only for an open request (as the caller
  -- sees it: a hidden request and a missing one give the same error)
  EXECUTE pg_catalog.format('SELECT r.status, r.territory_code, r.territory_type, r.project_id, r.expires_at, r.visibility FROM %s.tl_request r '
                            'WHERE r.id OPERATOR(pg_catalog.=) $1', s) INTO req USING NEW.request_id;
  -- (a hidden request and a missing one: the same error, as for projects and premises)
  IF req.status IS NULL THEN
    RAISE EXCEPTION 'request % is not in hub "%" or not visible to you', NEW.request_id, TG_TABLE_SCHEMA
      USING ERRCODE = '23503', HINT = 'A premise is proposed to a request of the hub''s tl_request table that you can read.';
  END IF;
  -- A new proposal holds its request's row (FOR SHARE) until the transaction ends, and reads
  -- its status as last committed: a withdrawal, expiry or match of the request made at the
  -- same time waits for the proposal, then withdraws it with the others; or the proposal
  -- waits for it and is refused.  Before the sixth session of 2026-12-06 neither waited: a
  -- proposal made while its request was withdrawn stayed pending on a withdrawn request
  -- (specs/tl_need.spec).  Only by a caller who may write the request (the others' proposals
  -- are refused by row-level security, with the same messages as before).
  -- An acceptance locks its request's row here, at once (FOR NO KEY UPDATE, as the match
  -- will), before the places are counted (the project's and premises' rows, sr_tl_places):
  -- the one order of the acceptance is proposal (the UPDATE's own row), request, project,
  -- premises, the request's other proposals (withdrawn by the match), and a withdrawal of
  -- the request takes request, then its proposals.  Before the review of 2026-12-07 (h2)
  -- the acceptance took its request last, in the match, after waiting for the premise's
  -- row: a withdrawal of the request arriving meanwhile held the request and waited for the
  -- proposal, and the two deadlocked (40P01, specs/tl_lock_order.spec).  A second
  -- acceptance of the request's other proposal waits on that proposal's row, which the
  -- first one's match withdraws, and is refused (55000).  (One that took its own proposal's
  -- row before that match, while the first held the request, waits for the request, and
  -- the match for its proposal: 40P01, one cancelled, which no order of these triggers can
  -- avoid: each statement's own row comes first; specs/tl_lock_order_earlier.spec.
  -- tl_accept, below, takes the request before the proposal and so never meets it:
  -- specs/tl_accept.spec.)
  IF pg_catalog.has_any_column_privilege(pg_catalog.format('%s.tl_request', s), 'UPDATE') THEN
    EXECUTE pg_catalog.format('SELECT r.status FROM %s.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1 FOR %s OF r', s,
                              CASE WHEN TG_OP = 'INSERT' THEN 'SHARE' ELSE 'NO KEY UPDATE' END)
      INTO locked_status USING NEW.request_id;
    IF locked_status IS NOT NULL THEN
      req.status := locked_status;
    END IF;
  END IF;
  IF req.status IS DISTINCT FROM 'open' THEN
    RAISE EXCEPTION 'request % is "%", not "open"', NEW.request_id, req.status
      USING ERRCODE = '55000', DETAIL = 'Premises are proposed to, and accepted for, open requests only.';
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- for a request whose time is not up, whether tl_expire has run or not: its proposal
    -- would be born expired, never to be accepted (before the sixth session of 2026-12-06
    -- it was made, tl_propose's included, which took a premise's places from the run)
    IF req.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
      RAISE EXCEPTION 'request % has expired', NEW.request_id USING ERRCODE = '55000',
        DETAIL = pg_catalog.format('It expired at %s.', req.expires_at),
        HINT = 'Move its expires_at later first, or withdraw it (or let tl_expire expire it) and open a new request for the project.';
    END IF;
    -- of a premise the caller can read; in the request's territory; restricted
    -- when the request or the premise is
    EXECUTE pg_catalog.format('SELECT m.visibility, m.territory_code, m.territory_type FROM %s.premises m WHERE m.id OPERATOR(pg_catalog.=) $1', s)
      INTO prem USING NEW.premise_id;
    IF prem IS NULL THEN
      RAISE EXCEPTION 'premise % is not in hub "%" or not visible to you', NEW.premise_id, TG_TABLE_SCHEMA
        USING ERRCODE = '23503';
    END IF;
    -- a restricted premise is proposed within its own territory only (the
    -- request's agents could not read it, nor its capacity)
    IF prem.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
       AND (prem.territory_code IS DISTINCT FROM req.territory_code
            OR @extschema@._territory_type_or_implied(prem.territory_type, prem.territory_code)
               IS DISTINCT FROM @extschema@._territory_type_or_implied(req.territory_type, req.territory_code)) THEN
      RAISE EXCEPTION 'premise % is restricted to its territory', NEW.premise_id USING ERRCODE = '42501',
        DETAIL = pg_catalog.format('Request %s is of territory %s.', NEW.request_id,
                                   coalesce(pg_catalog.concat_ws(' ', req.territory_type, req.territory_code), 'NULL'));
    END IF;
    IF NEW.territory_code IS NOT NULL AND (NEW.territory_code IS DISTINCT FROM req.territory_code
                                          OR (NEW.territory_type IS NOT NULL AND NEW.territory_type
                                              IS DISTINCT FROM @extschema@._territory_type_or_implied(req.territory_type, req.territory_code))) THEN
      RAISE EXCEPTION 'a proposal belongs to the territory of its request' USING ERRCODE = '23514',
        DETAIL = pg_catalog.format('Request %s is of territory %s, not %s.', NEW.request_id,
                                   coalesce(pg_catalog.concat_ws(' ', req.territory_type, req.territory_code), 'NULL'),
                                   pg_catalog.concat_ws(' ', NEW.territory_type, NEW.territory_code));
    END IF;
    NEW.territory_code := req.territory_code;
    NEW.territory_type := req.territory_type;
    IF req.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
       OR prem.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted' THEN
      NEW.visibility := 'restricted';
    END IF;
    NEW.proposed_at := pg_catalog.now();
    NEW.answered_at := NULL;
    -- never after its request's, whether given (by hand, tl_propose's expires_days) or the
    -- default (before, an explicit time was kept: tl_propose's outlived their requests)
    NEW.expires_at := least(coalesce(NEW.expires_at, NEW.proposed_at + interval '14 days'), req.expires_at);
    -- a proposal expires after it is made, as a request does (its request's time is not up,
    -- above, so only a time given by hand can be past): one born expired could never be
    -- accepted (before the review of 2026-12-07 (h13) it was made, pending until tl_expire)
    IF NEW.expires_at OPERATOR(pg_catalog.<=) NEW.proposed_at THEN
      RAISE EXCEPTION 'a proposal must expire after it is made' USING ERRCODE = '23514',
        DETAIL = pg_catalog.format('Its expires_at is %s, now is %s.', NEW.expires_at, NEW.proposed_at),
        HINT = 'Give an expires_at to come, or none (14 days, never after its request''s).';
    END IF;
    RETURN NEW;
  END IF;
  -- accepted: of a premise the caller can still read (one made restricted since it was
  -- proposed: its capacity is not the caller's to learn); the places are counted after
  -- the row is written, by the hub's trigger sr_tl_places (<hub>._tl_places: every
  -- territory's agreements, under a lock of the premise's row)
  EXECUTE pg_catalog.format('SELECT true AS seen FROM %s.premises m WHERE m.id OPERATOR(pg_catalog.=) $1', s)
    INTO prem USING NEW.premise_id;
  IF prem.seen IS NULL THEN
    RAISE EXCEPTION 'premise % is not visible to you', NEW.premise_id USING ERRCODE = '42501',
      DETAIL = 'Its capacity cannot be checked.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_proposal_check() IS
  'internal: trigger enforcing the state machine of tl_proposal (allowed transitions, a reason to decline, a reason and an ends_on not before its acceptance''s day to end an agreement, each transition changing its own columns only (_tl_transition_only), open request, final states but for their reason cleared, timestamps), a request and premise the caller can read, the request''s territory, restricted visibility for a restricted request or premise, and on acceptance a premise the caller can read (its places are counted by the hub''s _tl_places)';

CREATE FUNCTION @extschema@._tl_proposal_event()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  -- a proposal made restricted (on its own, or with its request) takes its history with
  -- it, written while it was public (its one allowed change): else a reader would still
  -- read its transitions, and their event name it at commit (sr_tl_history_notify)
  IF TG_OP = 'UPDATE' AND NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
     AND OLD.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'public' THEN
    EXECUTE pg_catalog.format('UPDATE %I.tl_history h SET visibility = ''restricted'' '
                              'WHERE h.request_id OPERATOR(pg_catalog.=) $1 AND h.proposal_id OPERATOR(pg_catalog.=) $2 '
                              'AND h.entity OPERATOR(pg_catalog.=) ''proposal'' '
                              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', TG_TABLE_SCHEMA)
      USING NEW.request_id, NEW.id;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  -- the row as written, after every BEFORE trigger: sr_tl_proposal_check checks the row it
  -- is given, and a trigger that fires after it (by name: the hub owner's, or a role's
  -- granted TRIGGER) could still make a new proposal "accepted" — no acceptance checked,
  -- its places never counted (sr_tl_places fires on an UPDATE) — or change another column
  -- with a transition.  Before the review of 2026-12-07 (h5, second session) the column
  -- so changed was kept, and a new proposal so accepted was refused only by the history's
  -- own check (_tl_history_record: 55000 "cannot write tl_history directly").
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'pending' THEN
      RAISE EXCEPTION 'a new proposal must be "pending", not "%"', NEW.status USING ERRCODE = '55000',
        DETAIL = 'A trigger that fired after sr_tl_proposal_check changed its status.';
    END IF;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM @extschema@.tl_transitions() t
                    WHERE t.entity = 'proposal' AND t.from_status = OLD.status AND t.to_status = NEW.status) THEN
      PERFORM @extschema@._tl_refuse('proposal', OLD.id, OLD.status, NEW.status);
    END IF;
    PERFORM @extschema@._tl_transition_only('proposal', OLD.id, NEW.status, pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD));
  END IF;
  PERFORM @extschema@._tl_record_transition(TG_TABLE_SCHEMA, 'proposal', NEW.id, NEW.request_id, NEW.premise_id,
                                 CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.reason, NEW.territory_code,
                                 NEW.territory_type, NEW.visibility);
  IF NEW.status = 'accepted' THEN
    -- the request is matched; its other pending proposals are withdrawn by its own trigger
    EXECUTE pg_catalog.format('UPDATE %I.tl_request r SET status = ''matched'' WHERE r.id OPERATOR(pg_catalog.=) $1',
                              TG_TABLE_SCHEMA) USING NEW.request_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n OPERATOR(pg_catalog.<>) 1 THEN
      -- (row-level security: the caller cannot write the request)
      RAISE EXCEPTION 'cannot accept proposal %: you cannot write its request %', NEW.id, NEW.request_id
        USING ERRCODE = '42501', HINT = 'A proposal is accepted by an agent of its request''s territory.';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_proposal_event() IS
  'internal: trigger recording a proposal''s transitions (history, NOTIFY), after checking the row as written (a new one pending, a transition allowed and changing its own columns only), matching its request when it is accepted, and making its history restricted when it is made restricted';

CREATE FUNCTION @extschema@._tl_history_append_only()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    RAISE EXCEPTION 'the history of tiers-lieux requests is append-only' USING ERRCODE = '55000',
      DETAIL = pg_catalog.format('%I.tl_history cannot be truncated.', TG_TABLE_SCHEMA);
  END IF;
  -- a row of a hub made before the types takes its request's or proposal's type
  -- (create_hub does it), nothing else
  IF TG_OP = 'UPDATE' AND OLD.territory_type IS NULL AND NEW.territory_type IS NOT NULL
     AND @extschema@._territory_typing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
    EXECUTE pg_catalog.format('SELECT e.territory_type FROM %I.%I e WHERE e.id OPERATOR(pg_catalog.=) $1',
                              TG_TABLE_SCHEMA, CASE WHEN NEW.entity OPERATOR(pg_catalog.=) 'proposal' THEN 'tl_proposal' ELSE 'tl_request' END)
      INTO v USING CASE WHEN NEW.entity OPERATOR(pg_catalog.=) 'proposal' THEN NEW.proposal_id ELSE NEW.request_id END;
    IF v OPERATOR(pg_catalog.=) NEW.territory_type THEN
      RETURN NEW;
    END IF;
  END IF;
  -- the one change a row may take: public to restricted, nothing else, following its
  -- request or proposal, already restricted (with its project: what was public about it
  -- is hidden too; a row of a public request stays as public as the request)
  IF TG_OP = 'UPDATE' AND @extschema@._tl_restricting_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD)) THEN
    EXECUTE pg_catalog.format('SELECT e.visibility::pg_catalog.text FROM %I.%I e WHERE e.id OPERATOR(pg_catalog.=) $1',
                              TG_TABLE_SCHEMA, CASE WHEN NEW.entity OPERATOR(pg_catalog.=) 'proposal' THEN 'tl_proposal' ELSE 'tl_request' END)
      INTO v USING CASE WHEN NEW.entity OPERATOR(pg_catalog.=) 'proposal' THEN NEW.proposal_id ELSE NEW.request_id END;
    IF v OPERATOR(pg_catalog.=) 'restricted' THEN
      RETURN NEW;
    END IF;
  END IF;
  -- and, by the erasure of personal data, its reason cleared, or its actor pseudonymised
  -- (with its reason cleared), nothing else. The reason is registered free text (it may name
  -- persons), which subject_erase clears where it names the data subject and purge_expired
  -- once its retention is over, the transition kept; the actor is an agent's login (an
  -- employee's identity), which they pseudonymise alike. Only within _erase_rows, which names
  -- the column it is erasing in the transaction's setting smartregion_erasure.column for the
  -- time of its UPDATE, and only for a role that may run those functions: any role can set
  -- the setting, so the agents, who write the history through their requests and proposals,
  -- cannot clear or pseudonymise it by hand
  IF TG_OP = 'UPDATE'
     AND (pg_catalog.has_function_privilege('@extschema@.subject_erase(pg_catalog.text, pg_catalog.name, pg_catalog.text, pg_catalog.text)', 'EXECUTE')
          OR pg_catalog.has_function_privilege('@extschema@.purge_expired(pg_catalog.name)', 'EXECUTE')) THEN
    v := pg_catalog.current_setting('smartregion_erasure.column', true);
    IF v OPERATOR(pg_catalog.=) pg_catalog.format('%I.%I.reason', TG_TABLE_SCHEMA, 'tl_history')
       AND @extschema@._tl_clearing_only(pg_catalog.to_jsonb(NEW), pg_catalog.to_jsonb(OLD), ARRAY['reason']) THEN
      RETURN NEW;
    END IF;
    IF v OPERATOR(pg_catalog.=) pg_catalog.format('%I.%I.actor', TG_TABLE_SCHEMA, 'tl_history')
       AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'actor' OPERATOR(pg_catalog.-) 'reason')
           OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'actor' OPERATOR(pg_catalog.-) 'reason')
       -- (a pseudonym that verifies replacing a value that does not: a writer's look-alike
       -- is pseudonymised too, and nothing else is rewritten)
       AND @extschema@._pseudonym_verifies(NEW.actor::pg_catalog.text, TG_TABLE_SCHEMA)
       AND NOT @extschema@._pseudonym_verifies(OLD.actor::pg_catalog.text, TG_TABLE_SCHEMA)
       AND (NEW.reason IS NULL OR NEW.reason OPERATOR(pg_catalog.=) OLD.reason) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'the history of tiers-lieux requests is append-only' USING ERRCODE = '55000',
    DETAIL = pg_catalog.format('Row %s of %I.tl_history cannot be %s.', OLD.id, TG_TABLE_SCHEMA,
                               CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'updated' END),
    HINT = CASE WHEN TG_OP = 'UPDATE' THEN 'A public row is made restricted with its request or proposal, and a reason is cleared and an actor pseudonymised by smartregion.subject_erase or purge_expired; nothing else changes.'
                ELSE 'The history keeps every transition.' END;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_history_append_only() IS
  'internal: trigger refusing deletes, truncation and updates of tl_history, but making a public row restricted, or clearing its reason or pseudonymising its actor within an erasure of personal data (subject_erase, purge_expired: _erase_rows), and nothing else';

CREATE FUNCTION @extschema@._tl_history_record()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s text := pg_catalog.quote_ident(TG_TABLE_SCHEMA);
  e record;
  ok boolean;
BEGIN
  -- A row records a change of its request or proposal made in this very
  -- transaction, and says exactly what the row now holds: its status (entered
  -- once: unique index tl_history_once), the one state it can come from, its
  -- reason, territory and visibility; the actor is the role that made the
  -- change, the time the clock's.  The triggers of tl_request and tl_proposal
  -- (_tl_record_transition) write such rows; a row written another way (by hand, or by a
  -- trigger of the caller's own) can only repeat them, and is refused (55000)
  -- or, written after them, a duplicate (23505).  (The check runs as the
  -- caller, under its row-level security: no definer's rights are needed.)
  IF NEW.entity = 'proposal' THEN
    EXECUTE pg_catalog.format(
      'SELECT p.request_id, p.premise_id, p.status, p.reason, p.territory_code, p.territory_type, p.visibility, '
      'COALESCE(p.answered_at, p.proposed_at) OPERATOR(pg_catalog.=) pg_catalog.now() AS now_changed '
      'FROM %s.tl_proposal p WHERE p.id OPERATOR(pg_catalog.=) $1', s) INTO e USING NEW.proposal_id;
    ok := e.now_changed AND NEW.request_id IS NOT DISTINCT FROM e.request_id
          AND NEW.premise_id IS NOT DISTINCT FROM e.premise_id
          AND NEW.from_status IS NOT DISTINCT FROM CASE WHEN e.status = 'pending' THEN NULL
                                                        WHEN e.status = 'ended' THEN 'accepted' ELSE 'pending' END;
  ELSE
    EXECUTE pg_catalog.format(
      'SELECT r.status, r.reason, r.territory_code, r.territory_type, r.visibility, '
      'r.status_changed_at OPERATOR(pg_catalog.=) pg_catalog.now() AS now_changed '
      'FROM %s.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1', s) INTO e USING NEW.request_id;
    ok := e.now_changed AND NEW.proposal_id IS NULL AND NEW.premise_id IS NULL
          AND NEW.from_status IS NOT DISTINCT FROM CASE WHEN e.status = 'open' THEN NULL ELSE 'open' END;
  END IF;
  ok := ok AND NEW.to_status IS NOT DISTINCT FROM e.status AND NEW.reason IS NOT DISTINCT FROM e.reason
        AND NEW.territory_code IS NOT DISTINCT FROM e.territory_code AND NEW.territory_type IS NOT DISTINCT FROM e.territory_type
        AND NEW.visibility IS NOT DISTINCT FROM e.visibility;
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'cannot write tl_history directly' USING ERRCODE = '55000',
      DETAIL = 'A row of tl_history records a change of its request or proposal made in the same transaction, as it is.',
      HINT = 'Change the request or proposal instead.';
  END IF;
  NEW.actor := CURRENT_USER;
  NEW.at := pg_catalog.clock_timestamp();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._tl_history_record() IS
  'internal: trigger of tl_history: a row must record, as it is, a change of its request or proposal made in the same transaction (else 55000); sets actor to the current role and at to the clock';

-- Bulk operations ---------------------------------------------------------------------
CREATE FUNCTION @extschema@.tl_propose(options jsonb DEFAULT '{}')
RETURNS TABLE (proposal_id bigint, request_id bigint, project_id bigint, premise_id bigint, score double precision)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o jsonb := @extschema@._options('tl_propose', options);
  h text := pg_catalog.quote_ident(o->>'hub');
  projects_sql text;
  premises_sql text;
  pairs_sql text;
  capacities_sql text;
  periods pg_catalog.tsrange[];
  definer boolean;
  lp text;
  lp_of text;
  w text;
  k_more bigint;
  a_project pg_catalog.int8[];
  a_slot pg_catalog.int8[];
  a_premise pg_catalog.int8[];
  a_score pg_catalog.float8[];
  a_places pg_catalog.int8[];
  a_cost pg_catalog.int8[];
  a_request pg_catalog.int8[];
  a_lo pg_catalog.timestamp[];
  a_hi pg_catalog.timestamp[];
  a_timed boolean[];
  a_first pg_catalog.int8[];
  a_last pg_catalog.int8[];
  a_order pg_catalog.int8[];
  a_gone boolean[];
  a_open boolean[];
  e_premise pg_catalog.int8[];
  e_period pg_catalog.tsrange[];
  e_slot pg_catalog.int8[];
  e_left pg_catalog.int8[];
  s_cap pg_catalog.int8[];
  s_mint pg_catalog.int8[];
  r_project pg_catalog.int8[];
  r_slot pg_catalog.int8[];
  r_score pg_catalog.float8[];
  k_project pg_catalog.int8[] := '{}';
  k_slot pg_catalog.int8[] := '{}';
  n_pairs int;
  n_slots int;
  i int;
  j int;
  cur pg_catalog.int8;
  pt pg_catalog.int8;
  fits boolean;
  checked boolean := false;
  skip_projects pg_catalog.int8[] := '{}';
  skip_premises pg_catalog.int8[] := '{}';
  why text;
  y record;
  x record;
  refused int;
  n_round int := 0;
BEGIN
  IF pg_catalog.to_regclass(pg_catalog.format('%s.tl_request', h)) IS NULL THEN
    RAISE EXCEPTION 'hub "%" has no table tl_request', o->>'hub' USING ERRCODE = '42P01',
      HINT = 'Run smartregion.create_hub() first.';
  END IF;
  PERFORM @extschema@._hub_code_guard((o->>'hub')::name, 'tl_propose', true);   -- (who controls the hub's code)
  -- the requests the caller may propose to: all of them for the hub's owner and
  -- the platform administrator, else those of its own territories (row-level
  -- security would refuse the others' proposals, and the whole run with them).  The
  -- platform administrator holding the group's privileges (USAGE), the roles its policy
  -- sr_platform_admin applies to: a NOINHERIT member (MEMBER before 2026-12-07, h1)
  -- proposed to every territory's requests and its run failed on the first other
  -- territory's (42501; pgTAP noinherit_platform)
  w := CASE WHEN NOT pg_catalog.row_security_active(pg_catalog.format('%s.tl_proposal', h))
              OR coalesce(pg_catalog.pg_has_role(pg_catalog.to_regrole('smartregion_platform_admin'), 'USAGE'), false)
            THEN 'true'
            ELSE @extschema@._territory_mine_sql(o->>'hub', 'r.territory_type', 'r.territory_code') END;
  -- the projects of the open requests without a pending proposal, whose time is not up
  -- (tl_expire may not have run yet: a proposal to one would be born expired, and it took a
  -- premise's places from the others before the sixth session of 2026-12-06)
  projects_sql := pg_catalog.format(
    'SELECT p.* FROM %1$s.projects p JOIN %1$s.tl_request r ON r.project_id OPERATOR(pg_catalog.=) p.id '
    'WHERE r.status OPERATOR(pg_catalog.=) ''open'' AND coalesce(r.expires_at, ''infinity''::pg_catalog.timestamptz) '
    'OPERATOR(pg_catalog.>) pg_catalog.now() AND %2$s AND NOT EXISTS (SELECT 1 FROM %1$s.tl_proposal x '
    'WHERE x.request_id OPERATOR(pg_catalog.=) r.id AND x.status OPERATOR(pg_catalog.=) ''pending'')', h, w);
  premises_sql := pg_catalog.format('SELECT * FROM %s.premises', h);
  -- a request is for one place at least and for some time (refused at its insert and at the
  -- project's change while it is open: _tl_request_need): a project that became so before
  -- those checks (a hub's rows from before the sixth session of 2026-12-06) gets no proposal,
  -- with a WARNING naming it.  (An empty period was given its premise's whole capacity
  -- before, though the acceptance counts it nowhere.)
  FOR y IN EXECUTE pg_catalog.format('SELECT x.id, x.team_size OPERATOR(pg_catalog.=) 0 AS no_team FROM (%s) x '
                                     'WHERE x.team_size OPERATOR(pg_catalog.=) 0 '
                                     'OR pg_catalog.isempty(@extschema@._tl_occupation(x.start_date, x.duration_months)) ORDER BY x.id',
                                     projects_sql) LOOP
    IF y.no_team THEN
      RAISE WARNING 'tl_propose skips project %: its team is of 0 people', y.id
        USING DETAIL = 'Its open request gets no proposal: a request is for one place at least.';
    ELSE
      RAISE WARNING 'tl_propose skips project %: its period is empty', y.id
        USING DETAIL = 'Its open request gets no proposal: a request is for some time at least.';
    END IF;
    skip_projects := skip_projects OPERATOR(pg_catalog.||) y.id;
  END LOOP;
  IF pg_catalog.cardinality(skip_projects) OPERATOR(pg_catalog.>) 0 THEN
    projects_sql := projects_sql OPERATOR(pg_catalog.||)
                    pg_catalog.format(' AND NOT (p.id OPERATOR(pg_catalog.=) ANY (%L::pg_catalog.int8[]))', skip_projects);
  END IF;
  -- The places left at a premise for a request are counted as the acceptance counts them
  -- (<hub>._tl_places, a sweep over time): its capacity minus the most people its accepted
  -- proposals place at one moment of the request's period, its project's occupation
  -- (_tl_occupation: [start_date, start_date + duration_months)); an agreement ended before
  -- that period or starting after it takes no place (before the second session of
  -- 2026-12-06 every accepted proposal counted, whatever its dates, and a premise free
  -- for the request's period was not proposed).  The capacity when none overlaps it; NULL
  -- (no limit) when the capacity is unknown.  lp: one row a premise and period where an
  -- accepted proposal overlaps the period, for the periods of the requests proposed to.  A
  -- public premise's over every territory's proposals, as the acceptance counts them (the
  -- hub's _tl_places_left, its owner's: one number a premise and period); a restricted
  -- one's over those the caller reads (the definer function cannot tell which restricted
  -- premises it may read), by the same query as the caller (the hub's _tl_places_seen)
  EXECUTE pg_catalog.format('SELECT coalesce(pg_catalog.array_agg(DISTINCT @extschema@._tl_occupation(p.start_date, p.duration_months)), '
                            '''{}'') FROM (%s) p', projects_sql) INTO periods;
  definer := pg_catalog.to_regprocedure(pg_catalog.format('%s._tl_places_left(pg_catalog.tsrange[])', h)) IS NOT NULL
             AND pg_catalog.has_function_privilege(pg_catalog.format('%s._tl_places_left(pg_catalog.tsrange[])', h), 'EXECUTE');
  -- (lp_of: a format() of any periods, %1$L, the hub's % doubled; a hub made before the fifth session
  -- of 2026-12-06 has no _tl_places_seen: create_hub brings it up to date)
  IF pg_catalog.to_regprocedure(pg_catalog.format('%s._tl_places_seen(pg_catalog.tsrange[], boolean)', h)) IS NULL THEN
    RAISE EXCEPTION 'hub "%" has no function _tl_places_seen', o->>'hub' USING ERRCODE = '55000',
      DETAIL = 'The hub was made before tl_propose counted the places left with it.',
      HINT = pg_catalog.format('Run smartregion.create_hub(%L) again: it brings the hub up to date.', o->>'hub');
  END IF;
  lp_of := CASE WHEN definer
                THEN pg_catalog.format('SELECT d.premise_id, d.period, d.places FROM %1$s._tl_places_left(%%1$L::pg_catalog.tsrange[]) d '
                                       'UNION ALL SELECT s.premise_id, s.period, s.places FROM %1$s._tl_places_seen(%%1$L::pg_catalog.tsrange[], false) s',
                                       pg_catalog.replace(h, '%', '%%'))
                -- (a caller not granted it: every premise counted as the caller reads it)
                ELSE pg_catalog.format('SELECT s.premise_id, s.period, s.places FROM %s._tl_places_seen(%%1$L::pg_catalog.tsrange[]) s',
                                       pg_catalog.replace(h, '%', '%%')) END;
  lp := pg_catalog.format(lp_of, periods);
  -- The k best premises left to each request are its k best candidates once the premises it
  -- may not get are taken out: those proposed to it before, those without room for its team,
  -- the restricted ones of other territories.  Taking its k best first and filtering them
  -- after left a request whose k best were declined with nothing, though it had more
  -- premises.  So the search asks for k plus as many as a request can lose (at most 10,000,
  -- match_candidates' bound), and the filtered list keeps its k first.
  EXECUTE pg_catalog.format(
    'SELECT coalesce((SELECT pg_catalog.max(n) FROM (SELECT pg_catalog.count(*) AS n FROM %1$s.tl_proposal x '
    'JOIN %1$s.tl_request r ON r.id OPERATOR(pg_catalog.=) x.request_id WHERE r.status OPERATOR(pg_catalog.=) ''open'' '
    'GROUP BY x.request_id) s), 0) '
    -- (the premises without room for some request: a capacity below the largest team, or
    -- fewer places left than it in some period)
    'OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM %1$s.premises m, (SELECT coalesce(pg_catalog.max(coalesce(p.team_size, 1)), 1) AS t '
    'FROM %1$s.projects p JOIN %1$s.tl_request r ON r.project_id OPERATOR(pg_catalog.=) p.id '
    'WHERE r.status OPERATOR(pg_catalog.=) ''open'') b WHERE m.capacity IS NOT NULL AND (m.capacity OPERATOR(pg_catalog.<) b.t '
    'OR m.id OPERATOR(pg_catalog.=) ANY (SELECT l.premise_id FROM (%2$s) l WHERE l.places OPERATOR(pg_catalog.<) b.t))) '
    'OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM %1$s.premises m WHERE m.visibility::pg_catalog.text '
    'OPERATOR(pg_catalog.<>) ''public'')', h, lp) INTO k_more;
  -- A row of projects or premises that the matching cannot read (a NaN or infinite number, a
  -- date before year 1 or past 9999: match_candidates refuses it, 22xxx) is skipped with a
  -- WARNING naming it, its request getting no proposal from this run; before the fifth
  -- session of 2026-12-06 it stopped the whole run.  Such rows may exist (the tables allow
  -- them, and the acceptance's count reads them: _tl_occupation); they are looked for only
  -- when the matching refuses one, with the matching's own reader (match_score on each row
  -- of the run), so a run without them costs nothing more.  Anything else is raised.
  LOOP
    -- candidates never proposed to the request before (a premise is proposed once), whose
    -- team fits in the places left in its period; a restricted premise only to its own
    -- territory's requests
    pairs_sql := pg_catalog.format(
      'SELECT project_id, premise_id, score, period, places, team, request_id FROM (SELECT c.project_id, c.premise_id, c.score, '
      -- (the people the request places, as the acceptance counts them, and its id: tl_propose
      -- keeps a slot's requests by score, then by the lower request id, while their teams fit)
      'GREATEST(coalesce(p.team_size, 1), 0)::pg_catalog.int8 AS team, r.id AS request_id, '
      'pg_catalog.row_number() OVER (PARTITION BY c.project_id ORDER BY c.rank) AS k_left, '
      -- (the period the request's places are counted in, and how many requests they take:
      -- its places left there; one request, whatever the period, where the capacity is unknown)
      'CASE WHEN m.capacity IS NOT NULL THEN @extschema@._tl_occupation(p.start_date, p.duration_months) END AS period, '
      'CASE WHEN m.capacity IS NULL THEN 1 ELSE LEAST(1000000, GREATEST(0, coalesce(l.places, m.capacity))) END AS places '
      'FROM %1$s.match_candidates(%2$L, %3$L, %4$s) c '
      'JOIN %5$s.tl_request r ON r.project_id OPERATOR(pg_catalog.=) c.project_id AND r.status OPERATOR(pg_catalog.=) ''open'' '
      'JOIN %5$s.projects p ON p.id OPERATOR(pg_catalog.=) c.project_id '
      'JOIN %5$s.premises m ON m.id OPERATOR(pg_catalog.=) c.premise_id '
      'LEFT JOIN (%6$s) l ON l.premise_id OPERATOR(pg_catalog.=) c.premise_id '
      'AND l.period OPERATOR(pg_catalog.=) @extschema@._tl_occupation(p.start_date, p.duration_months) '
      'WHERE NOT EXISTS (SELECT 1 FROM %5$s.tl_proposal x WHERE x.request_id OPERATOR(pg_catalog.=) r.id '
      'AND x.premise_id OPERATOR(pg_catalog.=) c.premise_id) '
      'AND (m.capacity IS NULL OR coalesce(p.team_size, 1) OPERATOR(pg_catalog.<=) coalesce(l.places, m.capacity)) '
      'AND (m.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'' OR (m.territory_code OPERATOR(pg_catalog.=) r.territory_code '
      'AND coalesce(@extschema@._territory_type_or_implied(m.territory_type, m.territory_code), '''') OPERATOR(pg_catalog.=) '
      'coalesce(@extschema@._territory_type_or_implied(r.territory_type, r.territory_code), ''''))) '
      'AND %7$s) f WHERE k_left OPERATOR(pg_catalog.<=) %8$s',
      '@extschema@', projects_sql, premises_sql, LEAST(10000, (o->>'k')::bigint OPERATOR(pg_catalog.+) k_more),
      h, lp, w, (o->>'k')::int);
    -- match_assign counts requests, not places, and a premise's places differ from one time
    -- to another: so the requests compete for the places left at each instant of their own
    -- periods.  At each premise with a capacity, the periods of its candidate requests fall
    -- into islands (runs of periods that overlap one another, gaps-and-islands on [lower,
    -- upper)); each island is one slot of match_assign (a number ranked by premise id, then
    -- island, so ties still go to the lower premise id).  An island is cut at every bound of
    -- its periods into elementary intervals, on each of which every request of the island
    -- either is or is not present: a set of requests fits the premise iff on every elementary
    -- interval their teams fit in its places left (its capacity minus the most people the
    -- accepted proposals place at one moment of it), which is the acceptance's rule at every
    -- instant.  Before the fifth session of 2026-12-06 an island was one number, the fewest
    -- places of its periods, shared by all of it: a chain (2030, Jul 2030 - Jun 2031, 2031) let
    -- 2030 and 2031, which never meet, take the same places once only (a premise of 2 places
    -- took one team of 2 of the three, where the acceptance takes 2030's and 2031's).  A
    -- premise of unknown capacity is one slot of one request, of one interval.  An empty
    -- period (0 months) never comes here: skipped above (a request for it is refused); until
    -- the sixth session of 2026-12-06 it was an island of its own with the premise's whole
    -- capacity, where the acceptance counts it nowhere.  (The isempty guards below keep one,
    -- should any come, an untimed island as before.)
    BEGIN
      EXECUTE pg_catalog.format(
        'SELECT coalesce(pg_catalog.array_agg(g.project_id ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.slot ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.premise_id ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.score ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.places ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.cost ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.request_id ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.lo ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.hi ORDER BY g.project_id, g.slot), ''{}''), '
        'coalesce(pg_catalog.array_agg(g.timed ORDER BY g.project_id, g.slot), ''{}'') '
        -- (what a request takes of a slot's places: its team where the capacity is known, else
        -- the one request the slot takes)
        'FROM (SELECT i.project_id, i.premise_id, i.score, i.request_id, i.places, i.lo, i.hi, '
        'CASE WHEN i.period IS NULL THEN 1 ELSE i.team END AS cost, '
        'i.period IS NOT NULL AND NOT pg_catalog.isempty(i.period) AS timed, '
        'pg_catalog.dense_rank() OVER (ORDER BY i.premise_id, i.island) AS slot '
        'FROM (SELECT b.*, CASE WHEN b.period IS NOT NULL THEN pg_catalog.sum(b.starts) OVER (PARTITION BY b.premise_id '
        'ORDER BY b.lo, b.hi, b.project_id) END AS island '
        'FROM (SELECT e.*, CASE WHEN e.lo OPERATOR(pg_catalog.>=) pg_catalog.max(e.hi) OVER (PARTITION BY e.premise_id '
        'ORDER BY e.lo, e.hi, e.project_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) IS NOT FALSE THEN 1 ELSE 0 END AS starts '
        'FROM (SELECT f.*, CASE WHEN pg_catalog.isempty(f.period) THEN ''-infinity''::pg_catalog.timestamp '
        'ELSE coalesce(pg_catalog.lower(f.period), ''-infinity''::pg_catalog.timestamp) END AS lo, '
        'CASE WHEN pg_catalog.isempty(f.period) THEN ''-infinity''::pg_catalog.timestamp '
        'ELSE coalesce(pg_catalog.upper(f.period), ''infinity''::pg_catalog.timestamp) END AS hi '
        'FROM (%s) f) e) b) i) g', pairs_sql)
        INTO a_project, a_slot, a_premise, a_score, a_places, a_cost, a_request, a_lo, a_hi, a_timed;
      EXIT;
    EXCEPTION WHEN data_exception THEN
      IF checked THEN
        RAISE;
      END IF;
      checked := true;
      FOR y IN EXECUTE pg_catalog.format('SELECT x.id, pg_catalog.to_jsonb(x) AS j FROM (%s) x ORDER BY x.id', projects_sql) LOOP
        BEGIN
          PERFORM @extschema@.match_score(y.j, '{}'::pg_catalog.jsonb);
        EXCEPTION WHEN data_exception THEN
          GET STACKED DIAGNOSTICS why = MESSAGE_TEXT;
          RAISE WARNING 'tl_propose skips project %: %', y.id, why
            USING DETAIL = 'Its open request gets no proposal from this run.',
                  HINT = 'Correct the row (or set the field to NULL) and run tl_propose again.';
          skip_projects := skip_projects OPERATOR(pg_catalog.||) y.id;
        END;
      END LOOP;
      FOR y IN EXECUTE pg_catalog.format('SELECT x.id, pg_catalog.to_jsonb(x) AS j FROM (%s) x ORDER BY x.id', premises_sql) LOOP
        BEGIN
          PERFORM @extschema@.match_score('{}'::pg_catalog.jsonb, y.j);
        EXCEPTION WHEN data_exception THEN
          GET STACKED DIAGNOSTICS why = MESSAGE_TEXT;
          RAISE WARNING 'tl_propose skips premise %: %', y.id, why
            USING DETAIL = 'It is proposed to no request by this run.',
                  HINT = 'Correct the row (or set the field to NULL) and run tl_propose again.';
          skip_premises := skip_premises OPERATOR(pg_catalog.||) y.id;
        END;
      END LOOP;
      IF pg_catalog.cardinality(skip_projects) OPERATOR(pg_catalog.+) pg_catalog.cardinality(skip_premises) OPERATOR(pg_catalog.=) 0 THEN
        RAISE;
      END IF;
      projects_sql := projects_sql OPERATOR(pg_catalog.||)
                      pg_catalog.format(' AND NOT (p.id OPERATOR(pg_catalog.=) ANY (%L::pg_catalog.int8[]))', skip_projects);
      premises_sql := pg_catalog.format('SELECT * FROM %s.premises m WHERE NOT (m.id OPERATOR(pg_catalog.=) ANY (%L::pg_catalog.int8[]))',
                                        h, skip_premises);
    END;
  END LOOP;
  n_pairs := coalesce(pg_catalog.cardinality(a_project), 0);
  -- the elementary intervals, numbered by slot then time (one, untimed, for a slot of unknown
  -- capacity, or of an empty period should one come: above), and each pair's first and last of them
  WITH u AS (SELECT * FROM ROWS FROM (pg_catalog.unnest(a_slot), pg_catalog.unnest(a_premise), pg_catalog.unnest(a_lo),
                                      pg_catalog.unnest(a_hi), pg_catalog.unnest(a_timed)) WITH ORDINALITY u(slot, premise_id, lo, hi, timed, i)),
       bounds AS (SELECT DISTINCT u.slot, u.premise_id, v.t FROM u, LATERAL (VALUES (u.lo), (u.hi)) v(t) WHERE u.timed),
       e AS (SELECT s.slot, s.premise_id, s.t, s.nt FROM (SELECT bounds.*, pg_catalog.lead(bounds.t) OVER (PARTITION BY bounds.slot ORDER BY bounds.t) AS nt
                                                          FROM bounds) s WHERE s.nt IS NOT NULL
             UNION ALL
             SELECT DISTINCT u.slot, u.premise_id, NULL::pg_catalog.timestamp, NULL::pg_catalog.timestamp FROM u WHERE NOT u.timed),
       en AS (SELECT e.*, pg_catalog.row_number() OVER (ORDER BY e.slot, e.t) AS k FROM e),
       p AS (SELECT u.i, u.slot, coalesce(f.k, z.k) AS first, coalesce(l.k, z.k) AS last
               FROM u LEFT JOIN en f ON u.timed AND f.slot OPERATOR(pg_catalog.=) u.slot AND f.t OPERATOR(pg_catalog.=) u.lo
                      LEFT JOIN en l ON u.timed AND l.slot OPERATOR(pg_catalog.=) u.slot AND l.nt OPERATOR(pg_catalog.=) u.hi
                      LEFT JOIN en z ON NOT u.timed AND z.slot OPERATOR(pg_catalog.=) u.slot)
  SELECT (SELECT coalesce(pg_catalog.array_agg(p.first ORDER BY p.i), '{}') FROM p),
         (SELECT coalesce(pg_catalog.array_agg(p.last ORDER BY p.i), '{}') FROM p),
         (SELECT coalesce(pg_catalog.array_agg(p.i ORDER BY p.slot, p.last, p.i), '{}') FROM p),
         (SELECT coalesce(pg_catalog.array_agg(en.premise_id ORDER BY en.k), '{}') FROM en),
         (SELECT coalesce(pg_catalog.array_agg(CASE WHEN en.t IS NOT NULL THEN pg_catalog.tsrange(en.t, en.nt, '[)') END ORDER BY en.k), '{}') FROM en),
         (SELECT coalesce(pg_catalog.array_agg(en.slot ORDER BY en.k), '{}') FROM en)
    INTO a_first, a_last, a_order, e_premise, e_period, e_slot;
  -- the places left on each interval: a timed one's counted as the acceptance counts them
  -- (lp, asked for the intervals; the capacity where no agreement overlaps it), an untimed
  -- one's the places of its slot's pair (1 request; the capacity for an empty period, should one come)
  EXECUTE pg_catalog.format(
    'SELECT coalesce(pg_catalog.array_agg(LEAST(1000000, GREATEST(0, CASE WHEN e.period IS NULL THEN s.places '
    'ELSE coalesce(l.places, m.capacity) END))::pg_catalog.int8 ORDER BY e.k), ''{}'') '
    'FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.tsrange[]), pg_catalog.unnest($3::pg_catalog.int8[])) '
    'WITH ORDINALITY e(premise_id, period, slot, k) '
    'JOIN %1$s.premises m ON m.id OPERATOR(pg_catalog.=) e.premise_id '
    'LEFT JOIN (SELECT v.slot, pg_catalog.max(v.places) AS places FROM ROWS FROM (pg_catalog.unnest($4::pg_catalog.int8[]), '
    'pg_catalog.unnest($5::pg_catalog.int8[])) v(slot, places) GROUP BY v.slot) s ON s.slot OPERATOR(pg_catalog.=) e.slot '
    'LEFT JOIN (%2$s) l ON l.premise_id OPERATOR(pg_catalog.=) e.premise_id AND l.period OPERATOR(pg_catalog.=) e.period',
    h, pg_catalog.format(lp_of, (SELECT coalesce(pg_catalog.array_agg(DISTINCT q.period), '{}')
                                   FROM pg_catalog.unnest(e_period) q(period) WHERE q.period IS NOT NULL)))
    INTO e_left USING e_premise, e_period, e_slot, a_slot, a_places;
  a_gone := pg_catalog.array_fill(false, ARRAY[n_pairs]);
  a_open := a_gone;
  n_slots := coalesce((SELECT pg_catalog.max(u.s) FROM pg_catalog.unnest(a_slot) u(s)), 0);
  -- match_assign counts requests, a request takes its team's places: the acceptance refused
  -- the proposals whose teams, with those proposed before them, no longer fitted (on the
  -- Ile-de-France demo 222 of 378 before the fourth session of 2026-12-06).  So, in rounds:
  -- match_assign over the requests not kept yet and the slots where their teams still fit
  -- on every interval of their periods, each slot holding at most as many requests as can
  -- still fit there (greedy piercing: the fewest instants that every such request of the
  -- island covers, found by ending time, each taking its places left over the smallest team
  -- there; every request covers one of them, so no more can fit); then each slot keeps its
  -- newly assigned requests by descending score (ties: the lower request id), each one whose
  -- team fits in the places still left on every interval of its period (first fit: a team
  -- too large is passed over, a smaller one after it may still fit); a request passed over
  -- loses that premise for this run, and the next round assigns again every request not
  -- kept, over the places left.  A round that passes over nobody ends it; each other round
  -- takes at least one (request, premise) pair away, so it ends; at most 100 rounds, the
  -- requests passed over in the last one getting no proposal this run (the next run tries
  -- them again).
  LOOP
    n_round := n_round OPERATOR(pg_catalog.+) 1;
    refused := 0;
    s_cap := pg_catalog.array_fill(0::pg_catalog.int8, ARRAY[n_slots]);
    s_mint := pg_catalog.array_fill(NULL::pg_catalog.int8, ARRAY[n_slots]);
    r_project := '{}'; r_slot := '{}'; r_score := '{}';
    -- the pairs still open (request not kept, pair not passed over, team fitting on each of
    -- its intervals) and each slot's smallest team among them
    FOR i IN 1 .. n_pairs LOOP
      fits := NOT a_gone[i];
      IF fits THEN
        FOR j IN a_first[i] .. a_last[i] LOOP
          IF e_left[j] OPERATOR(pg_catalog.<) a_cost[i] THEN
            fits := false;
            EXIT;
          END IF;
        END LOOP;
      END IF;
      a_open[i] := fits;
      IF fits THEN
        s_mint[a_slot[i]] := LEAST(s_mint[a_slot[i]], GREATEST(a_cost[i], 1));
        r_project := r_project OPERATOR(pg_catalog.||) a_project[i];
        r_slot := r_slot OPERATOR(pg_catalog.||) a_slot[i];
        r_score := r_score OPERATOR(pg_catalog.||) a_score[i];
      END IF;
    END LOOP;
    -- how many requests each slot may still take (greedy piercing, above)
    cur := 0;
    FOR j IN 1 .. n_pairs LOOP
      i := a_order[j];
      CONTINUE WHEN NOT a_open[i];
      IF a_slot[i] OPERATOR(pg_catalog.<>) cur THEN
        cur := a_slot[i];
        pt := 0;
      END IF;
      IF a_first[i] OPERATOR(pg_catalog.>) pt THEN
        pt := a_last[i];
        -- (OPERATOR() forms share one precedence: the division in parentheses)
        s_cap[cur] := s_cap[cur] OPERATOR(pg_catalog.+) (e_left[pt] OPERATOR(pg_catalog./) s_mint[cur]);
      END IF;
    END LOOP;
    pairs_sql := pg_catalog.format(
      'SELECT u.project_id, u.slot AS premise_id, u.score FROM ROWS FROM (pg_catalog.unnest(%L::pg_catalog.int8[]), '
      'pg_catalog.unnest(%L::pg_catalog.int8[]), pg_catalog.unnest(%L::pg_catalog.float8[])) u(project_id, slot, score)',
      r_project, r_slot, r_score);
    capacities_sql := pg_catalog.format(
      'SELECT u.slot AS premise_id, LEAST(1000000, GREATEST(0, u.places))::pg_catalog.int4 AS capacity '
      'FROM pg_catalog.unnest(%L::pg_catalog.int8[]) WITH ORDINALITY u(places, slot)', s_cap);
    FOR x IN EXECUTE
      'SELECT u.i FROM @extschema@.match_assign($1, $2, $3) m '
      'JOIN ROWS FROM (pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]), '
      'pg_catalog.unnest($6::pg_catalog.float8[]), pg_catalog.unnest($7::pg_catalog.int8[])) WITH ORDINALITY '
      'u(project_id, slot, score, request_id, i) '
      'ON u.project_id OPERATOR(pg_catalog.=) m.project_id AND u.slot OPERATOR(pg_catalog.=) m.premise_id '
      'ORDER BY m.premise_id, u.score DESC, u.request_id'
      USING pairs_sql, o->>'method', capacities_sql, a_project, a_slot, a_score, a_request
    LOOP
      i := x.i;
      fits := true;
      FOR j IN a_first[i] .. a_last[i] LOOP
        IF e_left[j] OPERATOR(pg_catalog.<) a_cost[i] THEN
          fits := false;
          EXIT;
        END IF;
      END LOOP;
      IF fits THEN
        k_project := k_project OPERATOR(pg_catalog.||) a_project[i];
        k_slot := k_slot OPERATOR(pg_catalog.||) a_slot[i];
        FOR j IN a_first[i] .. a_last[i] LOOP
          e_left[j] := e_left[j] OPERATOR(pg_catalog.-) a_cost[i];
        END LOOP;
        -- (a request's pairs are next to one another: the arrays are in project order)
        j := i;
        WHILE j OPERATOR(pg_catalog.>=) 1 AND a_project[j] OPERATOR(pg_catalog.=) a_project[i] LOOP
          a_gone[j] := true;
          j := j OPERATOR(pg_catalog.-) 1;
        END LOOP;
        j := i;
        WHILE j OPERATOR(pg_catalog.<=) n_pairs AND a_project[j] OPERATOR(pg_catalog.=) a_project[i] LOOP
          a_gone[j] := true;
          j := j OPERATOR(pg_catalog.+) 1;
        END LOOP;
      ELSE
        a_gone[i] := true;
        refused := refused OPERATOR(pg_catalog.+) 1;
      END IF;
    END LOOP;
    EXIT WHEN refused OPERATOR(pg_catalog.=) 0 OR n_round OPERATOR(pg_catalog.>=) 100;
  END LOOP;
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH a AS (SELECT k.project_id, u.premise_id, u.score
                 FROM ROWS FROM (pg_catalog.unnest($3::pg_catalog.int8[]), pg_catalog.unnest($4::pg_catalog.int8[])) k(project_id, slot)
                 JOIN ROWS FROM (pg_catalog.unnest($5::pg_catalog.int8[]), pg_catalog.unnest($6::pg_catalog.int8[]),
                                pg_catalog.unnest($7::pg_catalog.int8[]), pg_catalog.unnest($8::pg_catalog.float8[]))
                      u(project_id, slot, premise_id, score)
                   ON u.project_id OPERATOR(pg_catalog.=) k.project_id AND u.slot OPERATOR(pg_catalog.=) k.slot),
    ins AS (
      INSERT INTO %1$s.tl_proposal AS x (request_id, premise_id, score, method, expires_at)
      SELECT r.id, a.premise_id, least(1, greatest(0, a.score)), 'match_assign ' OPERATOR(pg_catalog.||) $1,
             pg_catalog.now() OPERATOR(pg_catalog.+) pg_catalog.make_interval(days => $2)
        FROM a JOIN %1$s.tl_request r ON r.project_id OPERATOR(pg_catalog.=) a.project_id AND r.status OPERATOR(pg_catalog.=) 'open'
      RETURNING x.id, x.request_id, x.premise_id, x.score)
    SELECT ins.id, ins.request_id, r.project_id, ins.premise_id, ins.score
      FROM ins JOIN %1$s.tl_request r ON r.id OPERATOR(pg_catalog.=) ins.request_id
     ORDER BY ins.request_id$q$, h)
    USING o->>'method', (o->>'expires_days')::int, k_project, k_slot, a_project, a_slot, a_premise, a_score;
END
$$;
COMMENT ON FUNCTION @extschema@.tl_propose(jsonb) IS
  'runs match_candidates and match_assign over the open requests without a pending proposal and writes one pending proposal per assigned request (never a premise proposed to the request before, only where the team fits in the places left in its project''s period, counted as the acceptance counts them, with the teams proposed there in the same run: a premise keeps its assigned requests by score while their teams fit, the others are assigned again elsewhere); options hub, method, k, expires_days';

CREATE FUNCTION @extschema@.tl_expire(hub name DEFAULT 'hub', at timestamptz DEFAULT pg_catalog.now())
RETURNS TABLE (entity text, expired bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000 ROWS 2
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  -- a scheduler's job, often a superuser's or the platform administrator's, run as its
  -- caller: the requests' and proposals' triggers would run with its rights (as
  -- purge_expired's: _hub_code_guard, 15-governance.sql)
  PERFORM @extschema@._hub_code_guard(hub, 'tl_expire');
  PERFORM @extschema@._hub_require(hub, 'tl_request');
  -- (NULL is no time: not "a time to come")
  IF at IS NULL THEN
    RAISE EXCEPTION 'parameter "at" cannot be NULL' USING ERRCODE = '22004',
      HINT = 'Leave it out to expire what has expired by now.';
  END IF;
  IF at > pg_catalog.now() THEN
    RAISE EXCEPTION 'cannot expire requests at a time to come' USING ERRCODE = '22023',
      DETAIL = pg_catalog.format('at is %s, now is %s.', at, pg_catalog.now());
  END IF;
  EXECUTE pg_catalog.format('WITH u AS (UPDATE %I.tl_proposal p SET status = ''expired'' WHERE p.status OPERATOR(pg_catalog.=) ''pending'' '
                            'AND p.expires_at OPERATOR(pg_catalog.<=) $1 RETURNING 1) SELECT pg_catalog.count(*) FROM u', hub)
    INTO n USING at;
  entity := 'proposal'; expired := n; RETURN NEXT;
  EXECUTE pg_catalog.format('WITH u AS (UPDATE %I.tl_request r SET status = ''expired'' WHERE r.status OPERATOR(pg_catalog.=) ''open'' '
                            'AND r.expires_at OPERATOR(pg_catalog.<=) $1 RETURNING 1) SELECT pg_catalog.count(*) FROM u', hub)
    INTO n USING at;
  entity := 'request'; expired := n; RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.tl_expire(name, timestamptz) IS
  'expires the pending proposals and open requests of a hub whose expires_at has passed (run it from a scheduler); returns the counts';

-- An acceptance that takes its request first.  A plain UPDATE of a proposal's status locks
-- the proposal's row before its trigger can lock the request (PostgreSQL locks the row an
-- UPDATE changes before its BEFORE triggers run), so two acceptances of one request's two
-- proposals, or an acceptance and a withdrawal of its request, started at the same instant,
-- can each hold what the other waits for (40P01; docs/matching.md, Lock order).  tl_accept
-- locks the request (FOR NO KEY UPDATE, read as the caller: row-level security applies)
-- before it updates the proposal, so every path through it, and every withdrawal or expiry
-- of a request (an UPDATE of the request, which takes the request first), takes the request
-- before any proposal: the second waits, then is refused by the trigger (55000: its
-- proposal withdrawn by the first's match, or its request no longer open).  The rules of
-- the acceptance stay the trigger's (sr_tl_proposal_check): this function adds the order
-- only.  Review of 2026-12-07 (h9): before, agents had the UPDATE alone.
CREATE FUNCTION @extschema@.tl_accept(proposal_id bigint, hub name DEFAULT 'hub', reason text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check; the reason may be NULL)
  args_given boolean := @extschema@._require_args('proposal_id', proposal_id, 'hub', hub);
  req_id bigint;
  req_status text;
  prop_status text;
  n bigint;
BEGIN
  -- an agent's writer, run as its caller: the hub's triggers run with its rights (as
  -- tl_propose's: _hub_code_guard, 15-governance.sql, bound for the privileged callers)
  PERFORM @extschema@._hub_code_guard(hub, 'tl_accept', true);
  PERFORM @extschema@._hub_require(hub, 'tl_proposal');
  PERFORM @extschema@._hub_require(hub, 'tl_request');
  -- who may accept nothing (a reader): refused before any row is read, so that the answer
  -- does not depend on the proposal (the lock below needs UPDATE on the request too)
  IF NOT pg_catalog.has_column_privilege(pg_catalog.format('%I.tl_proposal', hub), 'status', 'UPDATE')
     OR NOT pg_catalog.has_any_column_privilege(pg_catalog.format('%I.tl_request', hub), 'UPDATE') THEN
    RAISE EXCEPTION 'permission denied to accept proposals of hub "%"', hub USING ERRCODE = '42501',
      HINT = 'A proposal is accepted by an agent of its request''s territory or by the platform.';
  END IF;
  -- the proposal's request, as the caller reads it (a proposal's request never changes: the
  -- trigger refuses it, so reading it unlocked is safe); a hidden proposal and a missing one
  -- give the same error, as for the triggers' requests, projects and premises
  EXECUTE pg_catalog.format('SELECT p.request_id FROM %I.tl_proposal p WHERE p.id OPERATOR(pg_catalog.=) $1', hub)
    INTO req_id USING proposal_id;
  IF req_id IS NULL THEN
    RAISE EXCEPTION 'proposal % is not in hub "%" or not visible to you', proposal_id, hub USING ERRCODE = '42704',
      HINT = 'A proposal is accepted by its id in the hub''s tl_proposal table, one you can read.';
  END IF;
  -- the request first, then the proposal (the UPDATE's own row; its trigger locks the request
  -- again, already this transaction's)
  EXECUTE pg_catalog.format('SELECT r.status FROM %I.tl_request r WHERE r.id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE OF r', hub)
    INTO req_status USING req_id;
  IF req_status IS NULL THEN
    -- (a request the caller may not write, row-level security: never a proposal updated
    -- before its request is held; the trigger's own message for the same case)
    RAISE EXCEPTION 'cannot accept proposal %: you cannot write its request %', proposal_id, req_id
      USING ERRCODE = '42501', HINT = 'A proposal is accepted by an agent of its request''s territory.';
  END IF;
  -- an accepted proposal accepted again: refused, not a silent success (an UPDATE changing
  -- nothing of it passes the trigger); read after the request's lock, which every
  -- acceptance of the request holds: no acceptance can come in between
  EXECUTE pg_catalog.format('SELECT p.status FROM %I.tl_proposal p WHERE p.id OPERATOR(pg_catalog.=) $1', hub)
    INTO prop_status USING proposal_id;
  IF prop_status OPERATOR(pg_catalog.=) 'accepted' THEN
    RAISE EXCEPTION 'proposal % is already "accepted"', proposal_id USING ERRCODE = '55000',
      DETAIL = pg_catalog.format('Its request %s is matched by it.', req_id);
  END IF;
  -- (no status in the WHERE: the trigger refuses a proposal that is no longer pending, or
  -- whose request is no longer open, with its own 55000, rather than nothing updated)
  EXECUTE pg_catalog.format('UPDATE %I.tl_proposal p SET status = ''accepted'', reason = $2 WHERE p.id OPERATOR(pg_catalog.=) $1', hub)
    USING proposal_id, reason;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n OPERATOR(pg_catalog.<>) 1 THEN
    -- (read but not written: row-level security, e.g. a proposal at one of the caller's
    -- premises for another territory's request, which the caller may only end)
    RAISE EXCEPTION 'cannot accept proposal %: you cannot write it', proposal_id
      USING ERRCODE = '42501', HINT = 'A proposal is accepted by an agent of its request''s territory.';
  END IF;
  RETURN req_id;
END
$$;
COMMENT ON FUNCTION @extschema@.tl_accept(bigint, name, text) IS
  'accepts a pending proposal of a hub (with an optional reason) as its caller, locking its request first (FOR NO KEY UPDATE) so that two acceptances of one request''s proposals, or an acceptance and a withdrawal of its request, wait for each other instead of deadlocking; returns the request matched; a proposal the caller cannot read is not found (42704); 55000 when already accepted; the other rules of the acceptance are the tl_proposal trigger''s (55000 when no longer pending or its request no longer open)';

-- Catalogue (docs/governance.md) -------------------------------------------------------------
SELECT @extschema@.register_dataset('tl_request', 'Requests of project holders for premises',
  'Requests of project holders (the needs of a project of the projects table) for tiers-lieux and premises, with their state (open, matched, withdrawn, expired).',
  ARRAY['ECON', 'SOCI'], ARRAY['tiers-lieux', 'requests'], 'CONT', 'created_at', 'RESTRICTED');
-- a request's note is free text written by the project's holder, which may name people
-- (the holder, a partner, the owner of premises): registered as free text, so that
-- subject_export reports the notes that name a person, subject_erase clears them, the
-- analysts' pseudonymised views leave the column out, and the note is cleared 2 years after
-- it was written (the request kept), as the holder's project is deleted after 2 years
SELECT @extschema@.register_personal_data('tl_request', 'note', 'free_text',
  'free-text note of a request for premises (written by the project''s holder; may name persons)',
  'holders of tiers-lieux projects and the persons their notes name',
  'matching tiers-lieux projects with premises', 'legitimate_interests',
  'the agents of the request''s territory (of every territory for a public request) and the platform; never published', interval '2 years', 'clear');
-- so are the reasons: a request's, written for its holder when it is withdrawn ("found
-- elsewhere, with M. Dupont"); a proposal's, written by an agent of the request's territory
-- when it declines or ends it ("refused because M. Dupont ..."), by an agent of the
-- premise's territory when it ends it, or by the platform; and their copies in the history,
-- the transition's reason.  Registered alike (found by subject_export, cleared by
-- subject_erase, left out of the analysts' views, cleared 2 years after they were written as
-- the note is); clearing one is the one change a final request or proposal takes besides
-- restriction, and the one change of the append-only history besides restriction, made by
-- the erasure only (_tl_history_append_only)
SELECT @extschema@.register_personal_data('tl_request', 'reason', 'free_text',
  'free-text reason of a request''s change of state (written by the project''s holder when withdrawing it; may name persons)',
  'holders of tiers-lieux projects and the persons their reasons name',
  'matching tiers-lieux projects with premises', 'legitimate_interests',
  'the agents of the request''s territory (of every territory for a public request) and the platform; never published',
  interval '2 years', 'clear');
SELECT @extschema@.register_personal_data('tl_proposal', 'reason', 'free_text',
  'free-text reason of a proposal''s answer (written by an agent of the request''s territory when declining or ending it, by an agent of the premise''s territory when ending it, or by the platform; may name persons)',
  'owners of premises, holders of tiers-lieux projects and the persons their reasons name',
  'matching tiers-lieux projects with premises', 'legitimate_interests',
  'the agents of the request''s territory (of every territory for a public proposal) and the platform; never published',
  interval '2 years', 'clear');
SELECT @extschema@.register_personal_data('tl_history', 'reason', 'free_text',
  'free-text reason of a transition of a request or proposal (a copy of theirs; may name persons)',
  'holders of tiers-lieux projects, owners of premises and the persons their reasons name',
  'matching tiers-lieux projects with premises (the history of the requests)', 'legitimate_interests',
  'the agents of the request''s territory (of every territory for a public row) and the platform; never published',
  interval '2 years', 'clear');
-- the actor of a transition is the login role of the agent who made it: an employee's
-- identity (review of 2026-12-06: readers and analysts read it on every public row).
-- Registered as the identifier of its subject, so that readers do not get the column,
-- analysts see a pseudonym, subject_export finds an agent's transitions by its login, and
-- subject_erase and purge_expired pseudonymise it (the transition kept: the history is
-- append-only, and _tl_history_append_only lets this change through within an erasure)
SELECT @extschema@.register_personal_data('tl_history', 'actor', 'subject_id',
  'identification (login role of the agent who made the transition)',
  'agents of the territories and of the platform (employees)',
  'accountability of the requests'' history (who moved a request or proposal)', 'legitimate_interests',
  'the agents of the row''s territory (of every territory for a public row) and the platform; pseudonymised for analysts; never published',
  interval '2 years', 'pseudonymise');
SELECT @extschema@.register_dataset('tl_proposal', 'Premises proposed to requests',
  'Premises proposed to the requests of project holders and the answers of their owners (accepted, declined with a reason, withdrawn, expired).',
  ARRAY['ECON', 'SOCI'], ARRAY['tiers-lieux', 'proposals'], 'CONT', 'proposed_at', 'RESTRICTED');
SELECT @extschema@.register_dataset('tl_history', 'History of requests and proposals',
  'Every transition of the requests and proposals of tiers-lieux: when, from which state to which, by which role, why.',
  ARRAY['ECON', 'SOCI'], ARRAY['tiers-lieux', 'history'], 'CONT', 'at', 'RESTRICTED');

-- The listener's protocol in one call (matching.md, Events): any role may NOTIFY on the
-- channel under any hub's name and ids, so an event is only a hint.  With ids, the history
-- row it names, when the caller reads it and it is the transition the payload describes
-- (entity, id, request_id): a forged event gives nothing, a replay the true row again.  With
-- the hub alone, what the caller reads after after_id.  A payload that is no event of
-- smartregion's (not a JSON object, no hub the caller may use, ids that are no integers)
-- gives no row rather than an error: forged payloads are expected, and must not stop a
-- listener's loop.  Runs as the caller, under row-level security.
CREATE FUNCTION @extschema@.tl_event_history(event text, after_id bigint DEFAULT 0)
RETURNS TABLE (history_id bigint, at timestamptz, entity text, request_id bigint, proposal_id bigint,
               premise_id bigint, from_status text, to_status text, actor text)
-- (PARALLEL UNSAFE: a payload that is no JSON is caught in a sub-transaction)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 100 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e jsonb;
  nsp oid;
  h pg_catalog.regclass;
  cols text := 'h.id, h.at, h.entity, h.request_id, h.proposal_id, h.premise_id, h.from_status, h.to_status, ';
BEGIN
  BEGIN
    e := event::pg_catalog.jsonb;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN;
  END;
  IF e IS NULL OR pg_catalog.jsonb_typeof(e) IS DISTINCT FROM 'object'
     OR pg_catalog.jsonb_typeof(e OPERATOR(pg_catalog.->) 'hub') IS DISTINCT FROM 'string' THEN
    RETURN;
  END IF;
  SELECT n.oid INTO nsp FROM pg_catalog.pg_namespace n
   WHERE n.nspname OPERATOR(pg_catalog.=) (e OPERATOR(pg_catalog.->>) 'hub')
     AND pg_catalog.has_schema_privilege(n.oid, 'USAGE');
  IF nsp IS NULL THEN
    RETURN;
  END IF;
  SELECT c.oid INTO h FROM pg_catalog.pg_class c
   WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp AND c.relname OPERATOR(pg_catalog.=) 'tl_history'
     AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::"char"[]);
  IF h IS NULL THEN
    RETURN;
  END IF;
  -- the actor (an agent's login, personal data withheld from readers) for a role that may
  -- read it, else NULL
  cols := cols OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.has_column_privilege(h, 'actor', 'SELECT')
                                            THEN 'h.actor' ELSE 'NULL::pg_catalog.text' END;
  IF e OPERATOR(pg_catalog.?) 'history_id' THEN
    -- (ids as JSON numbers that are integers; anything else is no event of smartregion's)
    IF NOT (pg_catalog.jsonb_typeof(e OPERATOR(pg_catalog.->) 'entity') IS NOT DISTINCT FROM 'string'
            AND (e OPERATOR(pg_catalog.->>) 'history_id') OPERATOR(pg_catalog.~) '^[0-9]{1,18}$'
            AND (e OPERATOR(pg_catalog.->>) 'id') OPERATOR(pg_catalog.~) '^[0-9]{1,18}$'
            AND (e OPERATOR(pg_catalog.->>) 'request_id') OPERATOR(pg_catalog.~) '^[0-9]{1,18}$'
            AND pg_catalog.jsonb_typeof(e OPERATOR(pg_catalog.->) 'history_id') OPERATOR(pg_catalog.=) 'number'
            AND pg_catalog.jsonb_typeof(e OPERATOR(pg_catalog.->) 'id') OPERATOR(pg_catalog.=) 'number'
            AND pg_catalog.jsonb_typeof(e OPERATOR(pg_catalog.->) 'request_id') OPERATOR(pg_catalog.=) 'number') THEN
      RETURN;
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format(
      'SELECT %s FROM %s h WHERE h.id OPERATOR(pg_catalog.=) $1 AND h.entity OPERATOR(pg_catalog.=) $2 '
      'AND coalesce(h.proposal_id, h.request_id) OPERATOR(pg_catalog.=) $3 AND h.request_id OPERATOR(pg_catalog.=) $4', cols, h)
      USING (e OPERATOR(pg_catalog.->>) 'history_id')::bigint, e OPERATOR(pg_catalog.->>) 'entity',
            (e OPERATOR(pg_catalog.->>) 'id')::bigint, (e OPERATOR(pg_catalog.->>) 'request_id')::bigint;
  ELSE
    RETURN QUERY EXECUTE pg_catalog.format('SELECT %s FROM %s h WHERE h.id OPERATOR(pg_catalog.>) $1 ORDER BY h.id', cols, h)
      USING coalesce(after_id, 0);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.tl_event_history(text, bigint) IS
  'the tl_history rows a smartregion_tierslieux event stands for, read as the caller: with ids, the row named when it is the transition the payload describes (a forged event gives none); with the hub alone, the rows after after_id; no row for a payload that is no event of smartregion''s; actor NULL for a caller without that column (readers: personal data)';

SELECT @extschema@.register_service('tiers_lieux_requests', '0.1.0',
  'requests of project holders, proposals of premises to their owners and their history, with a state machine enforced by the database and events on LISTEN/NOTIFY (channel smartregion_tierslieux)',
  ARRAY['tl_transitions', 'tl_propose', 'tl_accept', 'tl_expire', 'tl_event_history']);
