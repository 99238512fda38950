/*
 * sr_schema_usage.h — the one text of the readers' check that their caller
 * has USAGE on the extension's schema (docs/security.md).
 *
 * A caller reading another role's view that calls a reader has the view
 * owner's rights on the view, not on the schema of the functions and tables
 * the reader reaches; without USAGE on it, the first lookup inside would fail
 * with PostgreSQL's bare "permission denied for schema", naming nothing the
 * caller called.  The readers check first and say why and what to grant:
 *   - the PL/pgSQL readers through the build-time marker
 *     `-- @require_schema_usage NAME`, which scripts/install-sql.awk expands
 *     from the three lines below (read from this file: pg_catalog.format()
 *     takes the same %s and %n$s placeholders);
 *   - the C readers that read the schema's tables through SPI through
 *     sr_require_schema_usage (query.c).
 * Placeholders: MESSAGE and HINT %s the schema; DETAIL %1$s the role, %2$s the
 * schema, %3$s the reader.  One line each, no other backslash than \" (the
 * awk reads them as they are written).  SQLSTATE 42501.
 */
#ifndef SR_SCHEMA_USAGE_H
#define SR_SCHEMA_USAGE_H

#define SR_NOUSAGE_MESSAGE "permission denied for schema %s"
#define SR_NOUSAGE_DETAIL "Role \"%1$s\" has no USAGE on schema %2$s, whose functions %3$s runs; a view calling %3$s lends its owner's rights on the view, not on that schema."
#define SR_NOUSAGE_HINT "Grant the role USAGE on schema %s, or make it a member of smartregion_reader (smartregion.grant_roles grants that group USAGE)."

/*
 * The hub readers' check that their caller has USAGE on the hub schema whose
 * tables they read (sr_require_hub_usage_of, query.c: the C maturity readers'
 * <hub>.maturity_value and maturity_answer; through _hub_usage_guard, the
 * maturity_* readers', naming themselves, and thd_ftth_coverage's thd_ftth and
 * thd_premises): without it, the read's lookup fails with PostgreSQL's bare
 * "permission denied for schema <hub>".  Placeholders:
 * MESSAGE %s the hub; DETAIL %1$s the role, %2$s the hub, %3$s its tables,
 * %4$s the reader, %5$s where the hub was named; HINT %1$s the hub, %2$s the
 * hub as a literal, %3$s where it was named.  C only (not read by the awk).
 */
#define SR_HUB_NOUSAGE_MESSAGE "permission denied for schema %s"
#define SR_HUB_NOUSAGE_DETAIL "Role \"%1$s\" has no USAGE on schema %2$s, whose tables %3$s %4$s reads (the hub of %5$s)."
#define SR_HUB_NOUSAGE_HINT "Grant the role USAGE on schema %1$s and SELECT on those tables, or make it a member of smartregion_reader (smartregion.grant_roles(%2$s) grants that group both), or name in %3$s a hub the role reads."

#endif							/* SR_SCHEMA_USAGE_H */
