/*
 * sr_pv_system.h — the parameters of a photovoltaic system (sr_pv.h, which
 * has the models, docs/pv.md), on their own so that the cadastre's options
 * (sr_cadastre.h) can hold one.
 */
#ifndef SR_PV_SYSTEM_H
#define SR_PV_SYSTEM_H

#include "sr_common.h"
#include "sr_options.h"

/* ---------- the system and its options ---------- */

enum { SR_PV_MODULE_HULD = 0, SR_PV_MODULE_PVWATTS = 1 };
enum { SR_PV_TEMP_FAIMAN = 0, SR_PV_TEMP_PVSYST = 1 };
enum { SR_PV_MOUNT_FREE = 0, SR_PV_MOUNT_BUILDING = 1 };
enum { SR_PV_IAM_MARTIN_RUIZ = 0, SR_PV_IAM_PHYSICAL = 1, SR_PV_IAM_NONE = 2 };
enum { SR_PV_INV_PVWATTS = 0, SR_PV_INV_NONE = 1 };

typedef struct sr_pv_system
{
	int			module;			/* SR_PV_MODULE_* */
	double		huld_k[6];		/* Huld k1..k6 (PVGIS 5, c-Si) */
	double		gamma_pct;		/* PVWatts temperature coefficient, %/C */
	int			temperature;	/* SR_PV_TEMP_* */
	int			mounting;		/* SR_PV_MOUNT_*: the U values' defaults */
	double		u0, u1;			/* NaN: the mounting's (Faiman: U0, U1;
								 * PVsyst: Uc, Uv) */
	double		cell_delta_t;	/* NaN: the mounting's; cell minus module
								 * (back) temperature at 1000 W/m2, C (SAPM) */
	double		pvsyst_alpha;	/* absorption */
	double		pvsyst_eta;		/* module efficiency */
	int			iam;			/* SR_PV_IAM_* */
	double		iam_a_r;		/* Martin & Ruiz angular loss coefficient */
	double		iam_n, iam_k, iam_l;	/* physical: refraction index, glazing
										 * extinction (1/m), thickness (m) */
	int			inverter;		/* SR_PV_INV_* */
	double		eta_inv_nom, eta_inv_ref;
	double		dc_ac_ratio;
	/* PVWatts loss items, % (shading: computed by the cadastre) */
	double		soiling, snow, mismatch, wiring, connections, lid, nameplate,
				age, availability;
	double		losses_pct;		/* NaN: 1 - prod(1 - item) */
	double		degradation_pct;	/* per year (economics) */
	double		fallback_pr;	/* performance ratio for a sky without hours */
} sr_pv_system;

/* Options of pv_yield, pv_yield_hourly, pv_profile(_hourly) and the "pv"
 * object of solar_cadastre (sr_options.h). */
extern const sr_optset sr_pv_optset;

void		sr_pv_defaults(sr_pv_system *s);
sr_status	sr_pv_check(const sr_pv_system *s, sr_err *err);

#endif							/* SR_PV_SYSTEM_H */
