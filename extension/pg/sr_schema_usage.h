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

#endif							/* SR_SCHEMA_USAGE_H */
