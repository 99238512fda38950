-- Shared by the pgTAP files (\ir include/as_role.sql, inside their transaction).
-- Run a query as a role in a subtransaction that is rolled back; returns the
-- first column of its first row as text ('<null>' when NULL or no row), or
-- the SQLSTATE of its error.  keep => true commits the subtransaction.
CREATE FUNCTION pg_temp.as_role(r name, q text, keep boolean DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; res text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q INTO res;
    IF NOT keep THEN
      RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = coalesce(res, '<null>');
    END IF;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, res = MESSAGE_TEXT;
    RETURN CASE WHEN st = 'SRROK' THEN res ELSE st END;
  END;
  RESET ROLE;
  RETURN coalesce(res, '<null>');
END $$;
