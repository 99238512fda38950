/*
 * sr_pv_econ_glue.h — the economics glue (pv_economics.c) shared with the
 * cadastre's glue: the configuration rows, the resolution of the options
 * for a size class, one evaluation, its jsonb form.
 */
#ifndef SR_PV_ECON_GLUE_H
#define SR_PV_ECON_GLUE_H

#include "sr_pg.h"
#include "sr_economics.h"

typedef struct sr_econ_table
{
	int			n;
	char	  **name;
	double	   *max_kwp,
			   *value;
} sr_econ_table;

/* The rows of smartregion.pv_economic_parameters (read as the caller). */
extern void sr_econ_table_read(FunctionCallInfo fcinfo, sr_econ_table *t);
/* The options given, completed from the table for the size class of kwp;
 * *class_kwp: the upper bound of the feed-in tariff's class. */
extern void sr_econ_resolve(const sr_econ_table *t, const sr_econ_opts *given, double kwp,
							double degradation_pct, sr_econ_opts *out, double *class_kwp);
/* The options of a jsonb argument (NULL: none), their ranges and the
 * fractions typed for percentages checked (sr_econ_check_plausible). */
extern void sr_econ_opts_arg(Jsonb *jb, sr_econ_opts *o);
/* Evaluate one system: production per hour (kWh) ending at ts, a load
 * profile (NULL: the household default); whole_year: ts are every hour of
 * one year (sr_econ_load). */
extern void sr_econ_run(const sr_econ_opts *p, double kwp, const double *ts, const double *pv,
						int n, const double *load_profile, int nload, bool whole_year,
						sr_econ_result *res);
/* A NOTICE for premium instalments after the lifetime, not counted: of one
 * system (faces 0), or of faces roof faces (unpaid_eur: their sum). */
extern void sr_econ_unpaid_notice(const char *fn, const sr_econ_result *r, int faces,
								  double unpaid_eur);
extern Datum sr_econ_jsonb(const sr_econ_result *r, double kwp, double class_kwp);

#endif							/* SR_PV_ECON_GLUE_H */
