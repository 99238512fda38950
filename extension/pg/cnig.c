/*
 * cnig.c — entry points of the CNIG "Sites économiques" exports that are
 * written in C (docs/zones.md, "CNIG exports"): the NAF -> vocation
 * mapping and the standard's value lists used by the plpgsql exports of
 * extension/sql/install/65-cnig.sql.  The tables are the core's (cnig.c).
 */
#include "sr_pg.h"

#include "sr_cnig.h"
#include "sr_zones.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* an error naming a NAF code that is not NAF rev. 2 */
static void
bad_naf(const char *naf)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid NAF rev. 2 code \"%s\"", naf),
			 errhint("A NAF rev. 2 subclass is written like \"52.10B\" or \"5210B\".")));
}

PG_FUNCTION_INFO_V1(sr_fn_naf_vocation);
/* smartregion.naf_vocation(naf): the standard's vocation of a NAF code */
Datum
sr_fn_naf_vocation(PG_FUNCTION_ARGS)
{
	char	   *naf = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *v = sr_cnig_vocation(naf);

	if (v == NULL)
		bad_naf(naf);
	PG_RETURN_TEXT_P(cstring_to_text(v));
}

PG_FUNCTION_INFO_V1(sr_fn_naf_section);
/* smartregion._naf_section(naf): the NAF rev. 2 section letter (A-U) */
Datum
sr_fn_naf_section(PG_FUNCTION_ARGS)
{
	char	   *naf = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			s = sr_zones_naf_section(naf);
	char		letter[2];

	if (s < 0)
		bad_naf(naf);
	letter[0] = sr_zones_section_letter(s);
	letter[1] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(letter));
}

PG_FUNCTION_INFO_V1(sr_fn_headcount_band_label);
/* smartregion._headcount_band_label(band): INSEE's label of a band, NULL
 * for an unknown code */
Datum
sr_fn_headcount_band_label(PG_FUNCTION_ARGS)
{
	const char *l = sr_cnig_band_label(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (l == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(l));
}

PG_FUNCTION_INFO_V1(sr_fn_cnig_values);
/* smartregion._cnig_values(field): the standard's value list of an
 * enumerated field, NULL when the field has none */
Datum
sr_fn_cnig_values(PG_FUNCTION_ARGS)
{
	const char *const *v = sr_cnig_values(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	Datum	   *elems;
	int			n = 0;

	if (v == NULL)
		PG_RETURN_NULL();
	while (v[n])
		n++;
	elems = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(v[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(sr_fn_headcount_band_jobs);
/* smartregion._headcount_band_jobs(band): the jobs zone_indicators counts
 * for a band (its midpoint), NULL for an unknown code */
Datum
sr_fn_headcount_band_jobs(PG_FUNCTION_ARGS)
{
	int			b = sr_zones_band_index(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (b < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sr_zones_band_jobs(b));
}
