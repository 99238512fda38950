-- smartregion install script, joined at build time from extension/sql/install/NN-*.sql.
-- Complain if the script is sourced in psql rather than run by CREATE EXTENSION.
\echo Use "CREATE EXTENSION smartregion CASCADE" to load this file. \quit

-- COST tiers used throughout (see docs/architecture.md):
--   1     cheap arithmetic on a few floats
--   10    small C computation (a sun position, a score)
--   100   heavier per-row C work or small SQL helpers
--   1000  set-returning / bulk functions over a query
--   10000 whole-table processing (cadastre, indicators, assignment)
