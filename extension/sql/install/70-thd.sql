-- ---------------------------------------------------------------------------
-- THD roll-out (issue 21): ARCEP's quarterly FttH series per commune, EPCI,
-- département and région, the deadlines of the territories, and the
-- projected date of full coverage against them.  docs/thd.md.
-- ---------------------------------------------------------------------------

-- Hub tables ------------------------------------------------------------------------
SELECT @extschema@.register_hub_table('thd_ftth', 'thd_rollout', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.thd_ftth (
    territory_type  text NOT NULL CONSTRAINT thd_ftth_type_check
                    CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code  text NOT NULL,
    quarter         date NOT NULL CONSTRAINT thd_ftth_quarter_start
                    CHECK (quarter = pg_catalog.date_trunc('quarter', quarter)::date),
    premises_passed bigint NOT NULL CONSTRAINT thd_ftth_passed_check CHECK (premises_passed >= 0),
    category        smallint,
    source          text NOT NULL,
    PRIMARY KEY (territory_type, territory_code, quarter))
$ddl$, 70);

SELECT @extschema@.register_hub_table('thd_premises', 'thd_rollout', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.thd_premises (
    territory_type   text NOT NULL DEFAULT 'commune' CONSTRAINT thd_premises_type_check
                     CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code   text NOT NULL,
    premises         bigint NOT NULL CONSTRAINT thd_premises_check CHECK (premises >= 0),
    dwellings        bigint,
    businesses       bigint,
    very_dense       boolean,
    epci_code        text,
    departement_code text,
    region_code      text,
    source           text NOT NULL,
    PRIMARY KEY (territory_type, territory_code))
$ddl$, 71);

SELECT @extschema@.register_hub_table('thd_deadline', 'thd_rollout', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.thd_deadline (
    territory_type text NOT NULL CONSTRAINT thd_deadline_type_check
                   CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
    territory_code text NOT NULL,
    deadline       date NOT NULL CONSTRAINT thd_deadline_finite CHECK (pg_catalog.isfinite(deadline)),
    target         double precision CONSTRAINT thd_deadline_target_range CHECK (target > 0 AND target <= 100),
    label          text,
    PRIMARY KEY (territory_type, territory_code))
$ddl$, 72);

-- Loaders of ARCEP's files -------------------------------------------------------------
CREATE FUNCTION @extschema@._thd_quarter(label text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  m text[] := pg_catalog.regexp_match(pg_catalog.btrim(label), '^T([1-4]) ([0-9]{4})$');
BEGIN
  IF m IS NULL THEN
    RAISE EXCEPTION 'invalid quarter "%"', label USING ERRCODE = '22P02', DETAIL = 'ARCEP quarters read "T1 2018".';
  END IF;
  RETURN pg_catalog.make_date(m[2]::int, 3 * m[1]::int - 2, 1);
END
$$;
COMMENT ON FUNCTION @extschema@._thd_quarter(text) IS
  'internal: the first day of an ARCEP quarter label "T1 2018"';

-- A count of ARCEP's files is a whole number, space-padded, its thousands maybe separated
-- by spaces (" 290 783    "), "-" or nothing for none (NULL); the loaders read it with
-- the expression below (inlined: ~1 us a cell), and anything else is an error naming
-- where it was read (stripping what is not a digit made "12.5" 125 and "-7" 7).
CREATE FUNCTION @extschema@._thd_count_invalid(cell text, place text)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'invalid count "%" in this ARCEP file (%)', cell, place USING ERRCODE = '22P02',
    DETAIL = 'ARCEP''s counts are whole numbers, space-padded, with spaces between thousands, and "-" for none.';
END
$$;
COMMENT ON FUNCTION @extschema@._thd_count_invalid(text, text) IS
  'internal: the error of a cell of an ARCEP file that is not a count (22P02, naming the territory and field)';

CREATE FUNCTION @extschema@._thd_count_sql(cell text, place text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  -- (spaces, tabs and the no-break spaces U+00A0 and U+202F are spaces)
  SELECT pg_catalog.format(
    $f$(SELECT CASE WHEN c.t IN ('', '-') THEN NULL
                    WHEN c.t ~ '^[0-9]{1,3}( ?[0-9]{3})*$' AND pg_catalog.length(c.t) <= 18
                    THEN pg_catalog.replace(c.t, ' ', '')::bigint
                    ELSE @extschema@._thd_count_invalid(%1$s, %2$s) END
          FROM (SELECT pg_catalog.btrim(pg_catalog.translate(coalesce(%1$s, ''), E'\u00a0\u202f\t\r', '    ')) AS t) c)$f$,
    cell, place)
$$;
COMMENT ON FUNCTION @extschema@._thd_count_sql(text, text) IS
  'internal: the SQL expression reading a count of an ARCEP file from the cell expression (whole number, space-padded, spaces between thousands; "-" or empty: NULL; otherwise _thd_count_invalid naming the place)';

CREATE FUNCTION @extschema@.thd_load_arcep(csv text, hub name DEFAULT 'hub', level text DEFAULT NULL)
RETURNS TABLE (territory_type text, territories bigint, quarters int, rows bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lvl text := level;
  hdr int;
  cols text[];
  qs date[];
  n bigint;
  terr bigint;
  dup text;
  dupf text;
  args_given boolean;
BEGIN
  PERFORM @extschema@._hub_code_guard(hub, 'thd_load_arcep', true);   -- (who controls the hub's code)
  -- (the shared NULL check, docs/governance.md#null-arguments, after the guard as before;
  -- until 2026-12-07 its own message, 'csv cannot be NULL')
  args_given := @extschema@._require_args('csv', csv);
  PERFORM @extschema@._hub_require(hub, 'thd_ftth');
  -- the level from the title ("Déploiement par Commune", "... par EPCI", ...)
  IF lvl IS NULL THEN
    lvl := CASE WHEN csv ~* 'par commune' THEN 'commune' WHEN csv ~* 'par epci' THEN 'epci'
                WHEN csv ~* 'par d.partement' THEN 'departement' WHEN csv ~* 'par r.gion' THEN 'region' END;
  END IF;
  IF lvl IS NULL OR lvl NOT IN ('commune', 'epci', 'departement', 'region') THEN
    RAISE EXCEPTION 'cannot tell the level of this ARCEP file' USING ERRCODE = '22023',
      HINT = 'Pass level => ''commune'', ''epci'', ''departement'' or ''region''.';
  END IF;
  -- the header: the first line "Code ...,Champ,T3 2017,..."
  SELECT l.n, pg_catalog.string_to_array(l.line, ',') INTO hdr, cols
    FROM pg_catalog.regexp_split_to_table(csv, E'\r?\n') WITH ORDINALITY l(line, n)
   WHERE pg_catalog.split_part(l.line, ',', 2) = 'Champ' ORDER BY l.n LIMIT 1;
  IF hdr IS NULL THEN
    RAISE EXCEPTION 'no header line in this ARCEP file' USING ERRCODE = '22P02',
      DETAIL = 'The header reads "Code commune,Champ,T3 2017,..." after four title lines.';
  END IF;
  qs := ARRAY(SELECT @extschema@._thd_quarter(c) FROM pg_catalog.unnest(cols[3:]) c);
  -- a quarter that has not begun (in Paris) has no observation: a typo ("T1 2081"), not data,
  -- which would become the last quarter of every series and of every projection
  SELECT pg_catalog.btrim(c) INTO dup FROM pg_catalog.unnest(cols[3:]) c
   WHERE @extschema@._thd_quarter(c) > (pg_catalog.now() AT TIME ZONE 'Europe/Paris')::date LIMIT 1;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'quarter "%" of this ARCEP file has not begun', dup USING ERRCODE = '22008',
      DETAIL = 'ARCEP''s files give the quarters observed; nothing is loaded.';
  END IF;
  -- a territory's field given twice: which line is right cannot be told
  SELECT d.code, d.champ INTO dup, dupf
    FROM (SELECT pg_catalog.btrim(pg_catalog.split_part(l.line, ',', 1)) AS code, pg_catalog.split_part(l.line, ',', 2) AS champ
            FROM pg_catalog.regexp_split_to_table(csv, E'\r?\n') WITH ORDINALITY l(line, n)
           WHERE l.n > hdr AND pg_catalog.split_part(l.line, ',', 2) IN ('Locaux Raccordables', 'Catégorie')) d
   GROUP BY d.code, d.champ HAVING pg_catalog.count(*) > 1 ORDER BY d.code LIMIT 1;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'duplicate line "%,%" in this ARCEP file', dup, dupf USING ERRCODE = '23505',
      DETAIL = 'Each territory has one line of each field.';
  END IF;
  EXECUTE pg_catalog.format($q$
    WITH lines AS (
      SELECT pg_catalog.string_to_array(l.line, ',') AS f
        FROM pg_catalog.regexp_split_to_table($1, E'\r?\n') WITH ORDINALITY l(line, n)
       WHERE l.n OPERATOR(pg_catalog.>) $2 AND l.line OPERATOR(pg_catalog.<>) ''),
    cells AS (
      SELECT pg_catalog.btrim(x.f[1]) AS code, x.f[2] AS champ, $3[k] AS quarter,
             %2$s AS v
        FROM lines x, pg_catalog.generate_series(1, pg_catalog.cardinality($3)) k
       WHERE x.f[2] IN ('Locaux Raccordables', 'Catégorie')),
    rows AS (
      SELECT c.code, c.quarter, pg_catalog.max(c.v) FILTER (WHERE c.champ OPERATOR(pg_catalog.=) 'Locaux Raccordables') AS passed,
             pg_catalog.max(c.v) FILTER (WHERE c.champ OPERATOR(pg_catalog.=) 'Catégorie')::smallint AS category
        FROM cells c GROUP BY c.code, c.quarter),
    ins AS (
      INSERT INTO %1$I.thd_ftth AS t (territory_type, territory_code, quarter, premises_passed, category, source)
      SELECT $4, r.code, r.quarter, r.passed, r.category, 'ARCEP, observatoire du haut et très haut débit (FttH)'
        FROM rows r WHERE r.passed IS NOT NULL
      ON CONFLICT (territory_type, territory_code, quarter) DO UPDATE
         SET premises_passed = EXCLUDED.premises_passed, category = EXCLUDED.category, source = EXCLUDED.source
      RETURNING t.territory_code)
    SELECT pg_catalog.count(*), pg_catalog.count(DISTINCT ins.territory_code) FROM ins$q$, hub,
    @extschema@._thd_count_sql('x.f[k OPERATOR(pg_catalog.+) 2]',
      $e$pg_catalog.format('%s, %s, T%s %s', pg_catalog.btrim(x.f[1]), x.f[2],
                           pg_catalog.date_part('quarter', $3[k]), pg_catalog.date_part('year', $3[k]))$e$))
    INTO n, terr USING csv, hdr, qs, lvl;
  territory_type := lvl;
  territories := terr;
  quarters := pg_catalog.cardinality(qs);
  rows := n;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.thd_load_arcep(text, name, text) IS
  'loads one of ARCEP''s FttH deployment files (ftthCommunes.csv, ftthEpci.csv, ftthDepartements.csv, ftthRegions.csv: premises passed and deployment band per quarter) into <hub>.thd_ftth; idempotent';

CREATE FUNCTION @extschema@.thd_load_arcep_premises(csv text, hub name DEFAULT 'hub')
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  hdr int;
  n bigint;
  dup text;
  args_given boolean;
BEGIN
  PERFORM @extschema@._hub_code_guard(hub, 'thd_load_arcep_premises', true);   -- (who controls the hub's code)
  -- (the shared NULL check, docs/governance.md#null-arguments, after the guard as before;
  -- until 2026-12-07 its own message, 'csv cannot be NULL')
  args_given := @extschema@._require_args('csv', csv);
  PERFORM @extschema@._hub_require(hub, 'thd_premises');
  SELECT l.n INTO hdr FROM pg_catalog.regexp_split_to_table(csv, E'\r?\n') WITH ORDINALITY l(line, n)
   WHERE l.line LIKE 'Code commune,Nom commune,%' ORDER BY l.n LIMIT 1;
  IF hdr IS NULL THEN
    RAISE EXCEPTION 'no header line in this ARCEP file' USING ERRCODE = '22P02',
      DETAIL = 'The header of ARCEP''s communes.csv reads "Code commune,Nom commune,Code région,...".';
  END IF;
  SELECT d.code INTO dup
    FROM (SELECT pg_catalog.btrim(pg_catalog.split_part(l.line, ',', 1)) AS code
            FROM pg_catalog.regexp_split_to_table(csv, E'\r?\n') WITH ORDINALITY l(line, n) WHERE l.n > hdr) d
   WHERE d.code <> '' GROUP BY d.code HAVING pg_catalog.count(*) > 1 ORDER BY d.code LIMIT 1;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'duplicate commune "%" in this ARCEP file', dup USING ERRCODE = '23505',
      DETAIL = 'Each commune has one line.';
  END IF;
  EXECUTE pg_catalog.format($q$
    WITH lines AS (
      SELECT pg_catalog.string_to_array(l.line, ',') AS f
        FROM pg_catalog.regexp_split_to_table($1, E'\r?\n') WITH ORDINALITY l(line, n)
       WHERE l.n OPERATOR(pg_catalog.>) $2 AND l.line OPERATOR(pg_catalog.<>) ''),
    -- numbers are space-padded with spaces as thousands separators, '-' for none
    v AS (
      SELECT pg_catalog.btrim(x.f[1]) AS code, pg_catalog.btrim(x.f[3]) AS reg, pg_catalog.btrim(x.f[4]) AS dep,
             NULLIF(pg_catalog.btrim(x.f[5]), '') AS epci,
             coalesce(%2$s, 0) AS dw,
             coalesce(%3$s, 0) AS bu,
             pg_catalog.btrim(x.f[8]) OPERATOR(pg_catalog.=) '1' AS ztd
        FROM lines x WHERE pg_catalog.btrim(x.f[1]) OPERATOR(pg_catalog.<>) ''),
    ins AS (
      INSERT INTO %1$I.thd_premises AS t (territory_type, territory_code, premises, dwellings, businesses, very_dense,
                                        epci_code, departement_code, region_code, source)
      SELECT 'commune', v.code, v.dw OPERATOR(pg_catalog.+) v.bu, v.dw, v.bu, v.ztd,
             CASE WHEN v.epci ~ '^[0-9]{9}$' THEN v.epci END, v.dep, v.reg,
             'ARCEP, observatoire du haut et très haut débit (logements et établissements)'
        FROM v
      ON CONFLICT (territory_type, territory_code) DO UPDATE
         SET premises = EXCLUDED.premises, dwellings = EXCLUDED.dwellings, businesses = EXCLUDED.businesses,
             very_dense = EXCLUDED.very_dense, epci_code = EXCLUDED.epci_code,
             departement_code = EXCLUDED.departement_code, region_code = EXCLUDED.region_code, source = EXCLUDED.source
      RETURNING 1)
    SELECT pg_catalog.count(*) FROM ins$q$, hub,
    @extschema@._thd_count_sql('x.f[6]', $e$pg_catalog.format('%s, Logements', pg_catalog.btrim(x.f[1]))$e$),
    @extschema@._thd_count_sql('x.f[7]', $e$pg_catalog.format('%s, Établissements', pg_catalog.btrim(x.f[1]))$e$))
    INTO n USING csv, hdr;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.thd_load_arcep_premises(text, name) IS
  'loads ARCEP''s communes.csv into <hub>.thd_premises: per commune the premises (dwellings + business premises), the very-dense-zone flag and the EPCI, département and région ARCEP rolls its series up to';

-- Statistics ------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._t_quantile(p double precision, df int)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  q double precision := CASE WHEN p < 0.5 THEN p ELSE 1 - p END;
  u double precision;
  z double precision;
  t double precision;
BEGIN
  IF p <= 0 OR p >= 1 OR df < 1 THEN
    RAISE EXCEPTION 'Student quantile needs 0 < p < 1 and df >= 1' USING ERRCODE = '22003';
  END IF;
  -- exact for 1 and 2 degrees of freedom
  IF df = 1 THEN
    RETURN pg_catalog.tan(pg_catalog.pi() * (p - 0.5));
  ELSIF df = 2 THEN
    RETURN (2 * p - 1) / pg_catalog.sqrt(2 * p * (1 - p));
  END IF;
  -- normal quantile (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4), then the
  -- Cornish-Fisher expansion of Student's t (A&S 26.7.5)
  u := pg_catalog.sqrt(-2 * pg_catalog.ln(q));
  z := u - (2.515517 + 0.802853 * u + 0.010328 * u * u) / (1 + 1.432788 * u + 0.189269 * u * u + 0.001308 * u * u * u);
  t := z + (z ^ 3 + z) / (4 * df) + (5 * z ^ 5 + 16 * z ^ 3 + 3 * z) / (96 * df ^ 2)
         + (3 * z ^ 7 + 19 * z ^ 5 + 17 * z ^ 3 - 15 * z) / (384 * df ^ 3);
  RETURN CASE WHEN p < 0.5 THEN -t ELSE t END;
END
$$;
COMMENT ON FUNCTION @extschema@._t_quantile(double precision, int) IS
  'internal: quantile p of Student''s t with df degrees of freedom (exact for 1 and 2, Cornish-Fisher from a normal quantile otherwise)';

-- The commune series the roll-ups read. ARCEP's "-" leaves no row: a commune without a
-- value at a quarter counts with its latest earlier value, so that the sums of its parents
-- (and of the commune of today it is part of) do not lose it, its premises passed and
-- premises, at that quarter (a sum falling from 800 to 300 made a pace of -150 a quarter).
-- A code merged into another commune since (smartregion.commune_today) is not carried past
-- its last quarter: ARCEP's later files count its premises passed under the code of today.
-- (STABLE, not IMMUTABLE: the text it returns names smartregion.commune_today, a table read)
CREATE FUNCTION @extschema@._thd_series_sql(hub text, upto text)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(
    $f$(WITH obs AS NOT MATERIALIZED (SELECT f.territory_code AS code, f.quarter, f.premises_passed AS passed
                       FROM %1$I.thd_ftth f
                      WHERE f.territory_type OPERATOR(pg_catalog.=) 'commune'
                        AND (%2$s IS NULL OR f.quarter OPERATOR(pg_catalog.<=) %2$s)),
        qs AS (SELECT DISTINCT o.quarter FROM obs o),
        span AS (SELECT o.code, pg_catalog.min(o.quarter) AS first_q, pg_catalog.max(o.quarter) AS last_q
                   FROM obs o GROUP BY o.code),
        -- (the commune of today by a lookup of at most one row per code, commune_today's code
        -- being unique: a join with that UNION ALL view has no statistics on either side, and
        -- the planner took 1/200 of the product, 4 x 10^6 rows for 35,000 codes)
        codes AS (SELECT s.*, coalesce(ct.commune_code, s.code) AS today,
                         coalesce(ct.commune_code OPERATOR(pg_catalog.<>) s.code, false) AS merged
                    FROM span s LEFT JOIN LATERAL (
                           SELECT t.commune_code FROM @extschema@.commune_today t
                            WHERE t.code OPERATOR(pg_catalog.=) s.code LIMIT 1) ct ON true),
        grid AS (SELECT c.code, c.today, q.quarter, o.passed,
                        -- a run of quarters after each value seen, to carry it
                        pg_catalog.count(o.passed) OVER (PARTITION BY c.code ORDER BY q.quarter) AS run
                   FROM codes c
                   JOIN qs q ON q.quarter OPERATOR(pg_catalog.>=) c.first_q
                            AND (q.quarter OPERATOR(pg_catalog.<=) c.last_q OR NOT c.merged)
                   LEFT JOIN obs o ON o.code OPERATOR(pg_catalog.=) c.code AND o.quarter OPERATOR(pg_catalog.=) q.quarter)
      SELECT g.code, g.today, g.quarter, pg_catalog.max(g.passed) OVER (PARTITION BY g.code, g.run) AS passed,
             g.passed IS NOT NULL AS observed
        FROM grid g)$f$, hub, upto)
$$;
COMMENT ON FUNCTION @extschema@._thd_series_sql(text, text) IS
  'internal: the SQL of the commune series of a hub up to a date expression (code, today: the commune of today it counts in, quarter, passed, observed): a quarter without a value takes the latest earlier one, except after the last quarter of a code merged into another commune since';

-- The query of thd_rollout over a hub, with its parameters $1 target (%), $2 confidence, $3
-- territory_type, $4 departement, $5 region (NULL: all): a function of its own so that its
-- plan can be examined (EXPLAIN of the text: the test of its estimates, pgTAP thd.sql).
CREATE FUNCTION @extschema@._thd_rollout_sql(hub text)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT pg_catalog.format($q$
    -- (prem and the series' obs are not materialised: read again, the hub's tables give the
    -- planner their statistics; a CTE has none, and the joins on code of the series (itself
    -- 4 x 10^6 rows estimated for 106,083) with prem and commune_today were estimated at
    -- 1.3 x 10^11 rows, whose cost made JIT compile the query: docs/performance.md, "JIT")
    WITH prem AS NOT MATERIALIZED (SELECT p.territory_code AS code, p.premises, p.epci_code AS epci, p.departement_code AS dep,
                         p.region_code AS reg
                    FROM %1$s.thd_premises p WHERE p.territory_type OPERATOR(pg_catalog.=) 'commune'),
    -- (a quarter without a value counts the latest earlier one: _thd_series_sql)
    com AS (SELECT * FROM %2$s c),
    -- a commune of ARCEP's year merged since then is one series with the commune it
    -- belongs to today (smartregion.commune_today): the sums of their premises passed and
    -- premises over the parts with a premises line, as thd_ftth_coverage and the parents
    -- below leave a part without one out (it made the whole commune's premises NULL,
    -- no_data, where the plugin gave the other parts' coverage); with no part having one,
    -- the passed of all and no premises (no_data, as a commune of its own without one).
    -- Parents: sums over their communes of ARCEP's year (ARCEP's own commune -> parent table)
    rolled AS (
      SELECT 'commune'::text AS ty, c.today AS code, c.quarter,
             CASE WHEN pg_catalog.count(p.premises) OPERATOR(pg_catalog.>) 0
                  THEN pg_catalog.sum(c.passed) FILTER (WHERE p.premises IS NOT NULL)
                  ELSE pg_catalog.sum(c.passed) END AS passed,
             pg_catalog.sum(p.premises)::numeric AS premises
        FROM com c LEFT JOIN prem p USING (code)
       GROUP BY 2, c.quarter HAVING pg_catalog.bool_or(c.observed)
      UNION ALL SELECT 'epci', p.epci, c.quarter, pg_catalog.sum(c.passed), pg_catalog.sum(p.premises)
                  FROM com c JOIN prem p USING (code) WHERE p.epci IS NOT NULL GROUP BY p.epci, c.quarter
                HAVING pg_catalog.bool_or(c.observed)
      UNION ALL SELECT 'departement', p.dep, c.quarter, pg_catalog.sum(c.passed), pg_catalog.sum(p.premises)
                  FROM com c JOIN prem p USING (code) WHERE p.dep IS NOT NULL GROUP BY p.dep, c.quarter
                HAVING pg_catalog.bool_or(c.observed)
      UNION ALL SELECT 'region', p.reg, c.quarter, pg_catalog.sum(c.passed), pg_catalog.sum(p.premises)
                  FROM com c JOIN prem p USING (code) WHERE p.reg IS NOT NULL GROUP BY p.reg, c.quarter
                HAVING pg_catalog.bool_or(c.observed)),
    own AS (SELECT f.territory_type AS ty, f.territory_code AS code, f.quarter, f.premises_passed AS passed
              FROM %1$s.thd_ftth f WHERE f.territory_type OPERATOR(pg_catalog.<>) 'commune'),
    ownprem AS (SELECT p.territory_type AS ty, p.territory_code AS code, p.premises FROM %1$s.thd_premises p
                 WHERE p.territory_type OPERATOR(pg_catalog.<>) 'commune'),
    series AS (
      SELECT coalesce(r.ty, w.ty) AS ty, coalesce(r.code, w.code) AS code, coalesce(r.quarter, w.quarter) AS quarter,
             coalesce(r.passed, w.passed)::numeric AS passed, coalesce(op.premises, r.premises) AS premises,
             w.passed AS arcep,
             -- quarter number
             (pg_catalog.date_part('year', coalesce(r.quarter, w.quarter)) * 4
              + (pg_catalog.date_part('month', coalesce(r.quarter, w.quarter)) - 1) / 3)::float8 AS x
        FROM rolled r FULL JOIN own w ON w.ty OPERATOR(pg_catalog.=) r.ty AND w.code OPERATOR(pg_catalog.=) r.code
                                      AND w.quarter OPERATOR(pg_catalog.=) r.quarter
        LEFT JOIN ownprem op ON op.ty OPERATOR(pg_catalog.=) coalesce(r.ty, w.ty) AND op.code OPERATOR(pg_catalog.=) coalesce(r.code, w.code)),
    -- least-squares line of premises passed against the quarter
    fit AS (
      SELECT s.ty, s.code, pg_catalog.count(*)::int AS n, pg_catalog.max(s.quarter) AS lastq,
             pg_catalog.regr_slope(s.passed::float8, s.x) AS slope, pg_catalog.regr_sxx(s.passed::float8, s.x) AS sxx,
             greatest(0, pg_catalog.regr_syy(s.passed::float8, s.x)
               - coalesce(pg_catalog.regr_sxy(s.passed::float8, s.x) ^ 2 / NULLIF(pg_catalog.regr_sxx(s.passed::float8, s.x), 0), 0)) AS ssr,
             (pg_catalog.array_agg(s.passed ORDER BY s.quarter DESC))[1] AS last_passed,
             (pg_catalog.array_agg(s.premises ORDER BY s.quarter DESC))[1] AS prem,
             (pg_catalog.array_agg(s.arcep ORDER BY s.quarter DESC))[1] AS arcep
        FROM series s WHERE s.code IS NOT NULL GROUP BY s.ty, s.code),
    -- an EPCI lies in the département and région of its largest commune
    epar AS (SELECT DISTINCT ON (p.epci) p.epci, p.dep, p.reg FROM prem p WHERE p.epci IS NOT NULL
              ORDER BY p.epci, p.premises DESC, p.code),
    dpar AS (SELECT DISTINCT ON (p.dep) p.dep, p.reg FROM prem p WHERE p.dep IS NOT NULL
              ORDER BY p.dep, p.premises DESC, p.code),
    -- a commune's parents are those of today (smartregion.territory), as thd_ftth_coverage
    -- rolls up to: its deadline is its EPCI's of today, not the one ARCEP placed it in
    -- in 2018; ARCEP's own (thd_premises) for a commune the territories do not know
    parents AS (
      SELECT f.*, CASE WHEN f.ty OPERATOR(pg_catalog.=) 'commune' THEN
                    CASE WHEN tr.code IS NULL THEN cp.epci ELSE tr.epci_code END END AS epci,
             CASE WHEN f.ty OPERATOR(pg_catalog.=) 'commune' AND tr.code IS NOT NULL THEN tr.departement_code
                  ELSE coalesce(cp.dep, ep.dep, CASE WHEN f.ty OPERATOR(pg_catalog.=) 'departement' THEN f.code END,
                                tr.departement_code) END AS dep,
             CASE WHEN f.ty OPERATOR(pg_catalog.=) 'commune' AND tr.code IS NOT NULL THEN tr.region_code
                  ELSE coalesce(cp.reg, ep.reg, dp.reg, CASE WHEN f.ty OPERATOR(pg_catalog.=) 'region' THEN f.code END,
                                tr.region_code) END AS reg,
             tr.name
        FROM fit f
        LEFT JOIN prem cp ON f.ty OPERATOR(pg_catalog.=) 'commune' AND cp.code OPERATOR(pg_catalog.=) f.code
        LEFT JOIN epar ep ON f.ty OPERATOR(pg_catalog.=) 'epci' AND ep.epci OPERATOR(pg_catalog.=) f.code
        LEFT JOIN dpar dp ON f.ty OPERATOR(pg_catalog.=) 'departement' AND dp.dep OPERATOR(pg_catalog.=) f.code
        LEFT JOIN @extschema@.territory tr ON tr.type OPERATOR(pg_catalog.=) f.ty AND tr.code OPERATOR(pg_catalog.=) f.code),
    dl AS (
      -- a territory's deadline: its own, else its EPCI's, département's, région's
      SELECT p.*, d.deadline, d.target AS dtarget, d.lvl AS dfrom
        FROM parents p
        LEFT JOIN LATERAL (
          SELECT x.deadline, x.target, x.territory_type AS lvl FROM %1$s.thd_deadline x
           WHERE (x.territory_type, x.territory_code) IN ((p.ty, p.code), ('epci', p.epci), ('departement', p.dep), ('region', p.reg))
           ORDER BY pg_catalog.array_position(ARRAY['commune', 'epci', 'departement', 'region'], x.territory_type)
           LIMIT 1) d ON true),
    proj AS (
      -- (no premises known, or none: no coverage and nothing to project, status no_data;
      -- least and greatest skip a NULL, which made such a territory 100 %% covered and
      -- complete at the end of its last quarter)
      SELECT d.*, CASE WHEN d.prem OPERATOR(pg_catalog.>) 0 THEN least(d.last_passed::float8 / d.prem, 1) * 100 END AS cov,
             coalesce(d.dtarget, $1) AS tgt,
             CASE WHEN d.prem OPERATOR(pg_catalog.>) 0
                  THEN greatest(0, coalesce(d.dtarget, $1) / 100 * d.prem - d.last_passed)::float8 END AS remaining,
             CASE WHEN d.n >= 3 THEN @extschema@._t_quantile(1 - (1 - $2) / 2, d.n - 2)
                                     * pg_catalog.sqrt(d.ssr / (d.n - 2) / NULLIF(d.sxx, 0)) END AS half
        FROM dl d),
    q AS (
      SELECT p.*,
             -- quarters still needed (NULL: never at this pace, or beyond a thousand years)
             CASE WHEN p.remaining OPERATOR(pg_catalog.=) 0 THEN 0
                  WHEN p.slope OPERATOR(pg_catalog.>) p.remaining / 4000 THEN p.remaining / p.slope END AS qn,
             CASE WHEN p.remaining OPERATOR(pg_catalog.=) 0 THEN 0
                  WHEN p.slope + p.half OPERATOR(pg_catalog.>) p.remaining / 4000 THEN p.remaining / (p.slope + p.half) END AS qlo,
             CASE WHEN p.remaining OPERATOR(pg_catalog.=) 0 THEN 0
                  WHEN p.slope - p.half OPERATOR(pg_catalog.>) p.remaining / 4000 THEN p.remaining / (p.slope - p.half) END AS qhi
        FROM proj p),
    -- a projected date is the last quarter's end plus the quarters still needed (91.3125 days
    -- each), to the nearest day, half a day up (round() of a float rounds half to even: 8
    -- quarters, 730.5 days after 2018-03-31, gave 2020-03-30 instead of 2020-03-31)
    r AS (
      SELECT q.*,
             (q.lastq + interval '3 months' - interval '1 day' + pg_catalog.make_interval(days => pg_catalog.round((q.qn * 91.3125)::numeric)::int))::date AS pdate,
             (q.lastq + interval '3 months' - interval '1 day' + pg_catalog.make_interval(days => pg_catalog.round((q.qlo * 91.3125)::numeric)::int))::date AS plo,
             (q.lastq + interval '3 months' - interval '1 day' + pg_catalog.make_interval(days => pg_catalog.round((q.qhi * 91.3125)::numeric)::int))::date AS phi
        FROM q),
    st AS (
      SELECT r.*,
             CASE WHEN r.prem IS NULL OR r.prem OPERATOR(pg_catalog.=) 0 THEN 'no_data'
                  WHEN r.remaining OPERATOR(pg_catalog.=) 0 THEN 'complete'
                  WHEN r.deadline IS NULL THEN 'no_deadline'
                  -- a single quarter has no pace: not known to be late (a flat series is)
                  WHEN r.slope IS NULL THEN 'at_risk'
                  WHEN r.pdate IS NULL OR r.pdate OPERATOR(pg_catalog.>) r.deadline THEN 'late'
                  WHEN r.half IS NULL OR r.phi IS NULL OR r.phi OPERATOR(pg_catalog.>) r.deadline THEN 'at_risk'
                  ELSE 'on_track' END AS status
        FROM r)
    SELECT st.ty, st.code, st.name, st.n, st.lastq, st.prem::bigint, st.last_passed::bigint, st.cov,
           st.slope, 100 * st.slope / NULLIF(st.prem, 0), st.pdate, st.plo, st.phi, st.deadline, st.dfrom, st.status,
           CASE WHEN st.status OPERATOR(pg_catalog.=) 'late' THEN
             CASE WHEN st.pdate IS NULL THEN 'Infinity'::float8
                  ELSE (st.pdate OPERATOR(pg_catalog.-) st.deadline) / 30.4375 END END,
           st.arcep, CASE WHEN st.ty OPERATOR(pg_catalog.<>) 'commune' AND st.arcep IS NOT NULL
                          THEN (st.last_passed OPERATOR(pg_catalog.-) st.arcep)::bigint END
      FROM st
     WHERE ($3::text IS NULL OR st.ty OPERATOR(pg_catalog.=) $3)
       AND ($4::text IS NULL OR st.dep OPERATOR(pg_catalog.=) $4
            OR (st.ty OPERATOR(pg_catalog.=) 'epci' AND EXISTS (SELECT 1 FROM prem p WHERE p.epci OPERATOR(pg_catalog.=) st.code
                                                                AND p.dep OPERATOR(pg_catalog.=) $4)))
       AND ($5::text IS NULL OR st.reg OPERATOR(pg_catalog.=) $5
            OR (st.ty OPERATOR(pg_catalog.=) 'epci' AND EXISTS (SELECT 1 FROM prem p WHERE p.epci OPERATOR(pg_catalog.=) st.code
                                                                AND p.reg OPERATOR(pg_catalog.=) $5)))
     ORDER BY pg_catalog.array_position(ARRAY['late', 'at_risk', 'on_track', 'no_deadline', 'complete', 'no_data'], st.status),
              CASE WHEN st.status OPERATOR(pg_catalog.<>) 'late' THEN NULL WHEN st.pdate IS NULL THEN 2147483647
                   ELSE st.pdate OPERATOR(pg_catalog.-) st.deadline END DESC NULLS LAST,
              pg_catalog.array_position(ARRAY['commune', 'epci', 'departement', 'region'], st.ty), st.code$q$, pg_catalog.quote_ident(hub), @extschema@._thd_series_sql(hub, 'NULL::date'))
$fn$;
COMMENT ON FUNCTION @extschema@._thd_rollout_sql(text) IS
  'internal: the SQL of thd_rollout over a hub, parameters $1 target, $2 confidence, $3 territory_type, $4 departement, $5 region';

CREATE FUNCTION @extschema@.thd_rollout(options jsonb DEFAULT '{}')
RETURNS TABLE (territory_type text, territory_code text, territory_name text, quarters int, last_quarter date,
               premises bigint, passed bigint, coverage double precision, pace double precision,
               pace_points double precision, projected date, projected_low date, projected_high date,
               deadline date, deadline_from text, status text, months_late double precision,
               arcep_passed bigint, rollup_difference bigint)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
-- no JIT: its query's estimate was some 10^11 rows (CTEs without statistics, fixed
-- 2026-12-07: about 26,000 for 36,261 on the demo's ARCEP data), but its honest cost, 1.2 x
-- 10^6, is still above jit_inline_above_cost and jit_optimize_above_cost (500,000): JIT
-- compiles its 225 functions with inlining and optimisation, and the call took 44 s against
-- 14-16 s without (docs/performance.md, "JIT")
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage thd_rollout
  -- (the reader)
DECLARE
  o jsonb := @extschema@._options('thd_rollout', options);
  h text := pg_catalog.quote_ident(o->>'hub');
BEGIN
  -- (who controls the hub's code: review of hub guards 2026-12-07, h12; C: other callers
  -- return at once)
  PERFORM @extschema@._hub_read_guard((o->>'hub')::name, 'thd_rollout');
  IF pg_catalog.to_regclass(pg_catalog.format('%s.thd_ftth', h)) IS NULL THEN
    RAISE EXCEPTION 'hub "%" has no table thd_ftth', o->>'hub' USING ERRCODE = '42P01', HINT = 'Run smartregion.create_hub() first.';
  END IF;
  -- (a département or région known neither to the territories nor to the hub's ARCEP data:
  -- 42704, not an empty table)
  PERFORM @extschema@._territory_filter_check(o, o->>'hub');
  RETURN QUERY EXECUTE @extschema@._thd_rollout_sql(o->>'hub')
    USING (o->>'target')::float8, (o->>'confidence')::float8, o->>'territory_type', o->>'departement', o->>'region';
END;
END
$$;
COMMENT ON FUNCTION @extschema@.thd_rollout(jsonb) IS
  'FttH roll-out per commune, EPCI, département and région: coverage at the last quarter, pace (least-squares premises per quarter), projected date of full coverage with its confidence interval, deadline (own or inherited) and status (late, at_risk, on_track, no_deadline, complete, no_data), late ones first; parents rolled up from their communes and compared with ARCEP''s own aggregates';

CREATE FUNCTION @extschema@.thd_ftth_coverage(year integer)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h text := coalesce(NULLIF(pg_catalog.current_setting('smartregion.hub', true), ''), 'hub');
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage thd_ftth_coverage
  -- and on the hub's schema (a maturity plugin, called with no hub argument: the caller may
  -- not know which schema it reads), naming it, its tables and what to grant: the shared
  -- check of the hub readers (_hub_usage_guard, query.c; its text in sr_schema_usage.h); a
  -- hub that does not exist is left to the query (42P01)
  PERFORM @extschema@._hub_usage_guard(h::name, 'thd_ftth_coverage', 'thd_ftth and thd_premises',
                                       'the setting smartregion.hub');
  -- each territory's latest quarter up to the end of the year (of all when NULL), premises passed / premises
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH prem AS (SELECT p.territory_code AS code, p.premises, p.epci_code AS epci, p.departement_code AS dep,
                         p.region_code AS reg FROM %1$I.thd_premises p WHERE p.territory_type OPERATOR(pg_catalog.=) 'commune'),
    -- each territory's value is of its latest quarter up to the end of the year (the last
    -- quarter of one of its communes), its communes counting their latest value then, which a
    -- quarter without one carries (the rule of _thd_series_sql, here at that quarter only: a
    -- commune's latest value, but for a code merged into another commune since, counted only
    -- at its own last quarter). A commune whose last quarter is missing has its latest value
    -- and counts with it in its parents (before the review of 2026-12-06 it had none, and its
    -- parents' sums left it out, premises and all)
    c AS (SELECT DISTINCT ON (f.territory_code) f.territory_code AS code, f.quarter,
                 f.premises_passed::numeric AS passed, p.premises, p.epci, p.dep, p.reg
            FROM %1$I.thd_ftth f JOIN prem p ON p.code OPERATOR(pg_catalog.=) f.territory_code
           WHERE f.territory_type OPERATOR(pg_catalog.=) 'commune'
             AND ($1::int IS NULL OR f.quarter OPERATOR(pg_catalog.<=) pg_catalog.make_date($1, 12, 31))
           ORDER BY f.territory_code, f.quarter DESC),
    -- a commune of ARCEP's year merged since then counts in the commune it belongs to
    -- today (smartregion.commune_today): the sums of their premises passed and premises;
    -- and the EPCI, département and région are those of the communes of today
    -- (smartregion.territory), ARCEP's own for a commune the territories do not know:
    -- an EPCI scored today is its communes of today (ARCEP's 2018 perimeters left 18 of
    -- the 1,255 EPCI of 2026 without a value and 15 more than a point off, one by 54)
    cur AS (SELECT coalesce(ct.commune_code, c.code) AS code, c.quarter, c.passed, c.premises,
                   coalesce(ct.commune_code OPERATOR(pg_catalog.<>) c.code, false) AS merged,
                   CASE WHEN t.code IS NULL THEN c.epci ELSE t.epci_code END AS epci,
                   CASE WHEN t.code IS NULL THEN c.dep ELSE t.departement_code END AS dep,
                   CASE WHEN t.code IS NULL THEN c.reg ELSE t.region_code END AS reg
              FROM c LEFT JOIN @extschema@.commune_today ct ON ct.code OPERATOR(pg_catalog.=) c.code
              LEFT JOIN @extschema@.territory t ON t.type OPERATOR(pg_catalog.=) 'commune'
                                               AND t.code OPERATOR(pg_catalog.=) ct.commune_code),
    lv AS (SELECT 'commune'::text AS t, cur.code, cur.quarter, cur.merged, cur.passed, cur.premises FROM cur
           UNION ALL SELECT 'epci', cur.epci, cur.quarter, cur.merged, cur.passed, cur.premises FROM cur WHERE cur.epci IS NOT NULL
           UNION ALL SELECT 'departement', cur.dep, cur.quarter, cur.merged, cur.passed, cur.premises FROM cur
           UNION ALL SELECT 'region', cur.reg, cur.quarter, cur.merged, cur.passed, cur.premises FROM cur),
    w AS (SELECT lv.*, pg_catalog.max(lv.quarter) OVER (PARTITION BY lv.t, lv.code) AS latest FROM lv
           WHERE lv.code IS NOT NULL),
    l AS (SELECT w.t, w.code, pg_catalog.sum(w.passed) AS passed, pg_catalog.sum(w.premises)::numeric AS premises
            FROM w WHERE NOT w.merged OR w.quarter OPERATOR(pg_catalog.=) w.latest GROUP BY w.t, w.code)
    SELECT l.t, l.code, least(100, 100 * l.passed / l.premises)::float8 FROM l
     WHERE l.premises OPERATOR(pg_catalog.>) 0$q$, h) USING year;
END
$$;
COMMENT ON FUNCTION @extschema@.thd_ftth_coverage(integer) IS
  'maturity plugin of the indicator ftth_coverage: premises passed by FttH at each territory''s latest quarter up to the end of the year, % of premises (a commune without a value at a quarter counting its latest earlier one), per commune of today (merged communes summed) and rolled up to the EPCI, départements and régions of today''s communes (ARCEP''s own for a commune smartregion.territory does not know), from <hub>.thd_ftth and <hub>.thd_premises (hub: the setting smartregion.hub, default "hub")';

-- Catalogue (docs/governance.md) -------------------------------------------------------------
SELECT @extschema@.register_dataset('thd_ftth', 'FttH premises passed per quarter',
  'Premises passable by FttH and deployment band per commune, EPCI, département and région and quarter (ARCEP, observatoire du haut et très haut débit).',
  ARRAY['TECH', 'REGI'], ARRAY['FttH', 'THD', 'broadband', 'ARCEP'], 'QUARTERLY', 'quarter');
SELECT @extschema@.register_dataset('thd_premises', 'Premises per commune for the FttH roll-out',
  'Dwellings and business premises per commune, very-dense-zone flag, and the EPCI, département and région ARCEP rolls its series up to.',
  ARRAY['TECH', 'REGI'], ARRAY['FttH', 'premises', 'ARCEP']);
SELECT @extschema@.register_dataset('thd_deadline', 'Deadlines of the FttH roll-out',
  'Deadlines of full FttH coverage set by the territories (regional plans, départements) and the share of premises they aim at.',
  ARRAY['TECH', 'REGI', 'GOVE'], ARRAY['FttH', 'THD', 'deadline']);

SELECT @extschema@.register_service('thd_rollout', '0.1.0',
  'very-high-speed broadband roll-out: ARCEP''s quarterly FttH series, deadlines, pace and projected date of full coverage with its uncertainty, late territories first, and the source of the maturity indicator ftth_coverage',
  ARRAY['thd_load_arcep', 'thd_load_arcep_premises', 'thd_rollout', 'thd_ftth_coverage']);
