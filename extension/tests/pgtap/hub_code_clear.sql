-- pgTAP: _hub_code_clear (extension/pg/hub_code.c), the catalogue walk in C that
-- _hub_code_guard runs before its query: true only when _hub_code_controllers(hub,
-- CURRENT_USER) would list no role, so that the guard skips the query then and only then.
-- Each control of the query's comment (15-governance.sql) is put on a fresh hub, one at a
-- time, by a role hcc_other that does not hold the superuser's rights; the expected answer is
-- worked out by hand from that rule (a superuser's hub: clear; any of them: not clear), and
-- the query is asked the same question, so that the two are seen to agree.  On the build
-- before the function did not exist (every assertion fails).
BEGIN;
SELECT plan(24);
SET LOCAL client_min_messages = warning;

-- "clear/listed" (t or f each): the C walk's answer, and whether the query lists a role
CREATE FUNCTION pg_temp.both(hub name DEFAULT 'hcc') RETURNS text LANGUAGE sql AS $$
  SELECT format('%s/%s', smartregion._hub_code_clear(hub),
                EXISTS (SELECT FROM smartregion._hub_code_controllers(hub, current_user)))
$$;

-- the answers after a change made in a subtransaction rolled back (pgTAP's own records stay)
CREATE FUNCTION pg_temp.hub_case(setup text, hub name) RETURNS text LANGUAGE plpgsql AS $$
DECLARE res text;
BEGIN
  BEGIN
    EXECUTE setup;
    res := pg_temp.both(hub);
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = res;
  EXCEPTION WHEN SQLSTATE 'SRROK' THEN
    GET STACKED DIAGNOSTICS res = MESSAGE_TEXT;
  END;
  RESET ROLE;
  RETURN res;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hcc') \gset
CREATE ROLE hcc_other;
CREATE ROLE hcc_caller;
GRANT USAGE ON SCHEMA smartregion TO hcc_caller;
CREATE SCHEMA hcc_else;
-- hcc_other's function, and the superuser's (for the operator over hcc_other's function)
CREATE FUNCTION hcc_else.f(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 0';
CREATE FUNCTION hcc_else.g(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1';
CREATE FUNCTION hcc_else.tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE FUNCTION hcc_else.ef() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
ALTER FUNCTION hcc_else.f(int) OWNER TO hcc_other;
ALTER FUNCTION hcc_else.g(int) OWNER TO hcc_other;
ALTER FUNCTION hcc_else.tf() OWNER TO hcc_other;
ALTER FUNCTION hcc_else.ef() OWNER TO hcc_other;
CREATE FUNCTION hcc_else.mine(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE TABLE hcc.t (a int);

SELECT is(pg_temp.both(), 't/f', 'a superuser''s hub, as the superuser: clear, the query lists no role');
SELECT is(pg_temp.both('hcc_no_such_hub'), 't/f', 'no such schema: clear (no event trigger)');

SELECT is(pg_temp.hub_case($q$
  ALTER SCHEMA hcc OWNER TO hcc_other;
$q$, 'hcc'), 'f/t', '1. the schema''s owner');
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t OWNER TO hcc_other;
$q$, 'hcc'), 'f/t', '2. a table''s owner');
SELECT is(pg_temp.hub_case($q$
  CREATE TABLE hcc_else.child () INHERITS (hcc.t);
  ALTER TABLE hcc_else.child OWNER TO hcc_other;
$q$, 'hcc'), 'f/t', '2. the owner of an inheritance child in another schema');
SELECT is(pg_temp.hub_case($q$
  CREATE TABLE hcc.parted (a int) PARTITION BY LIST (a);
  CREATE TABLE hcc_else.part PARTITION OF hcc.parted FOR VALUES IN (1) PARTITION BY LIST (a);
  CREATE TABLE hcc_else.subpart PARTITION OF hcc_else.part FOR VALUES IN (1);
  ALTER TABLE hcc_else.subpart OWNER TO hcc_other;
$q$, 'hcc'), 'f/t', '2. the owner of a partition of a partition, in another schema');
SELECT is(pg_temp.hub_case($q$
  GRANT TRIGGER ON hcc.t TO hcc_other;
$q$, 'hcc'), 'f/t', '3. TRIGGER granted to a role');
SELECT is(pg_temp.hub_case($q$
  GRANT TRIGGER ON hcc.t TO PUBLIC;
$q$, 'hcc'), 'f/t', '3. TRIGGER granted to PUBLIC');
SELECT is(pg_temp.hub_case($q$
  GRANT SELECT, INSERT ON hcc.t TO hcc_other, PUBLIC;
$q$, 'hcc'), 't/f', '3. other privileges than TRIGGER: clear');
SELECT is(pg_temp.hub_case($q$
  CREATE TRIGGER hcc_t BEFORE INSERT ON hcc.t FOR EACH ROW EXECUTE FUNCTION hcc_else.tf();
$q$, 'hcc'), 'f/t', '4. a trigger''s function');
SELECT is(pg_temp.hub_case($q$
  CREATE RULE hcc_r AS ON UPDATE TO hcc.t WHERE hcc_else.f(new.a) DO INSTEAD NOTHING;
$q$, 'hcc'), 'f/t', '4. a rule''s function');
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY hcc_p ON hcc.t USING (hcc_else.f(a));
$q$, 'hcc'), 'f/t', '4. a policy''s function');
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t ALTER a SET DEFAULT hcc_else.g(1);
$q$, 'hcc'), 'f/t', '4. a default''s function');
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t ADD CHECK (hcc_else.f(a));
$q$, 'hcc'), 'f/t', '4. a check constraint''s function');
SELECT is(pg_temp.hub_case($q$
  CREATE INDEX ON hcc.t (hcc_else.g(a));
$q$, 'hcc'), 'f/t', '4. an index expression''s function');
SELECT is(pg_temp.hub_case($q$
  CREATE OPERATOR hcc_else.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = hcc_else.mine);
  ALTER OPERATOR hcc_else.=== (int, int) OWNER TO hcc_other;
  ALTER TABLE hcc.t ADD CHECK (a OPERATOR(hcc_else.===) 1);
$q$, 'hcc'), 'f/t', '5. an operator''s owner (its function the superuser''s)');
SELECT is(pg_temp.hub_case($q$
  CREATE FUNCTION hcc_else.eq2(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
  ALTER FUNCTION hcc_else.eq2(int, int) OWNER TO hcc_other;
  CREATE OPERATOR hcc_else.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = hcc_else.eq2);
  ALTER TABLE hcc.t ADD CHECK (a OPERATOR(hcc_else.===) 1);
$q$, 'hcc'), 'f/t', '4. an operator''s function (the operator the superuser''s)');
SELECT is(pg_temp.hub_case($q$
  CREATE DOMAIN hcc_else.d AS int;
  ALTER DOMAIN hcc_else.d OWNER TO hcc_other;
  ALTER TABLE hcc.t ADD b hcc_else.d;
$q$, 'hcc'), 'f/t', '6. a column''s domain');
SELECT is(pg_temp.hub_case($q$
  CREATE DOMAIN hcc_else.d AS int;
  ALTER DOMAIN hcc_else.d OWNER TO hcc_other;
  CREATE DOMAIN hcc_else.d2 AS hcc_else.d;
  ALTER TABLE hcc.t ADD b hcc_else.d2;
$q$, 'hcc'), 'f/t', '6. the domain a column''s domain is over');
SELECT is(pg_temp.hub_case($q$
  CREATE DOMAIN hcc_else.d AS int CHECK (hcc_else.f(VALUE));
  ALTER TABLE hcc.t ADD b hcc_else.d;
$q$, 'hcc'), 'f/t', '4. a function a column''s domain''s check calls');
SELECT is(pg_temp.hub_case($q$
  CREATE EVENT TRIGGER hcc_e ON sql_drop EXECUTE FUNCTION hcc_else.ef();
$q$, 'hcc_no_such_hub'), 'f/t', '4. an enabled event trigger''s function (on any hub name)');
SELECT is(pg_temp.hub_case($q$
  CREATE EVENT TRIGGER hcc_e ON sql_drop EXECUTE FUNCTION hcc_else.ef();
  ALTER EVENT TRIGGER hcc_e DISABLE;
$q$, 'hcc'), 't/f', 'a disabled event trigger: clear');
-- another caller: what a role holds its rights, what does not
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t OWNER TO hcc_other;
  SET LOCAL ROLE hcc_caller;
$q$, 'hcc'), 'f/t', 'hcc_caller: hcc_other, not its member, owns a table');
SELECT is(pg_temp.hub_case($q$
  ALTER TABLE hcc.t OWNER TO hcc_other;
  GRANT hcc_caller TO hcc_other;
  SET LOCAL ROLE hcc_caller;
$q$, 'hcc'), 't/f', 'hcc_caller: hcc_other, its member (inheriting), owns it; the rest is the superuser''s');

SELECT * FROM finish();
ROLLBACK;
