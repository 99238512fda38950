-- purge_expired on a hub older than its retention periods (2026-12-07, h8; docs/performance.md,
-- "Data subjects' requests"), on sr_hub after bench/subject_requests_setup.sql and
-- bench/purge_expired_setup.sql: half the rows of the three tables pseudonymised at the end of
-- their 3 years (premises, campaign_respondent, maturity_answer: an even key) made what earlier
-- runs leave behind, pseudonymised and recorded 3 years and 2 to 1,001 days ago, so that every
-- run finds them before its cutoff again and skips them (a hub in use for about six years).
-- The pseudonyms are those the erasure writes, under the hub's key (since 2026-12-07, h6: a
-- run leaves alone only a pseudonym whose seal verifies; the earlier stand-ins, 'pseudo:' and
-- the SHA-256 of the identifier, no key, would now be look-alikes, pseudonymised again).
-- Written with the tables' triggers off
-- (session_replication_role = replica, a superuser's: a respondent's role is otherwise changed
-- by an erasure only); VACUUM after.  Irreversible on that database: load a fresh one to go back.
-- Run: psql -d DB -v ON_ERROR_STOP=1 -f bench/purge_expired_aged_setup.sql; then bench/purge_expired.sh.
SET client_min_messages = warning;
BEGIN;
SET LOCAL session_replication_role = replica;
-- the pseudonym of docs/governance.md#pseudonym, with pgcrypto, under the hub's key
CREATE FUNCTION pg_temp.pseud(v text, key bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d) x
$$;
SELECT smartregion.pseudonym('x', 'sr_hub') IS NOT NULL AS key_drawn;
SELECT key AS hub_key FROM smartregion.pseudonym_key WHERE hub_schema = 'sr_hub' \gset
UPDATE sr_hub.premises SET owner = pg_temp.pseud(owner, :'hub_key'),
                           recorded_at = now() - interval '3 years' - make_interval(days => (2 + id % 1000)::int)
 WHERE id % 2 = 0 AND owner !~ '^pseudo:';
UPDATE sr_hub.campaign_respondent SET role = pg_temp.pseud(id || role, :'hub_key'),
                                      recorded_at = now() - interval '3 years' - make_interval(days => (2 + id % 1000)::int)
 WHERE id % 2 = 0 AND role !~ '^pseudo:';
UPDATE sr_hub.maturity_answer SET respondent = pg_temp.pseud(respondent, :'hub_key'),
                                  recorded_at = now() - interval '3 years' - make_interval(days => (2 + territory_code::int % 1000)::int)
 WHERE territory_code::int % 2 = 0 AND respondent !~ '^pseudo:' AND respondent <> 'self';
COMMIT;
VACUUM ANALYZE sr_hub.premises, sr_hub.campaign_respondent, sr_hub.maturity_answer;
SELECT (SELECT count(*) FROM sr_hub.premises WHERE recorded_at < now() - interval '3 years') AS premises_before_cutoff,
       (SELECT count(*) FROM sr_hub.premises WHERE recorded_at < now() - interval '3 years' AND owner !~ '^pseudo:') AS premises_expired,
       (SELECT count(*) FROM sr_hub.campaign_respondent WHERE recorded_at < now() - interval '3 years') AS respondents_before_cutoff,
       (SELECT count(*) FROM sr_hub.campaign_respondent WHERE recorded_at < now() - interval '3 years' AND role !~ '^pseudo:') AS respondents_expired,
       (SELECT count(*) FROM sr_hub.maturity_answer WHERE recorded_at < now() - interval '3 years') AS answers_before_cutoff,
       (SELECT count(*) FROM sr_hub.maturity_answer WHERE recorded_at < now() - interval '3 years' AND respondent !~ '^pseudo:') AS answers_expired;
