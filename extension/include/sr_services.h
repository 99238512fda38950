/*
 * sr_services.h — option specs of the services built on the families
 * (issue 21): self-diagnosis campaigns and trends (maturity), tiers-lieux
 * requests and coverage (matching), THD roll-out.  Those functions are
 * plpgsql: smartregion._options() validates a call's jsonb against its set
 * and returns it merged over the defaults (sr_options.h).
 */
#ifndef SR_SERVICES_H
#define SR_SERVICES_H

#include "sr_options.h"

extern const sr_optset sr_tierslieux_coverage_optset;
extern const sr_optset sr_tl_propose_optset;
extern const sr_optset sr_maturity_trend_optset;
extern const sr_optset sr_maturity_movers_optset;
extern const sr_optset sr_maturity_radar_svg_optset;
extern const sr_optset sr_maturity_report_optset;
extern const sr_optset sr_thd_rollout_optset;

#endif							/* SR_SERVICES_H */
