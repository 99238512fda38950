/*
 * sr_pv.h — photovoltaic system model of the solar cadastre: module
 * temperature, DC power, angle-of-incidence loss, inverter, system losses,
 * applied hour by hour (the reference) or to a cumulative sky at cadastre
 * speed (the fast path).  docs/pv.md.
 *
 * Units: irradiance W/m2, temperatures degrees C, wind m/s, power in kW per
 * kWp of modules (so an hour's energy is kWh/kWp); angles in degrees.
 *
 * Models (each a pure function, tested against values computed
 * independently in extension/tests/unit/test_pv.c):
 *   Faiman (2008) module temperature  Tm = Ta + G / (U0 + U1 ws)
 *   PVsyst cell temperature           Tc = Ta + alpha G (1 - eta) / (Uc + Uv ws)
 *   Huld et al. (2011) DC power       P/P0 = G' (1 + k1 ln G' + k2 ln^2 G'
 *                                       + T' (k3 + k4 ln G' + k5 ln^2 G') + k6 T'^2)
 *                                     G' = Geff / 1000, T' = Tm - 25
 *   PVWatts DC power                  P/P0 = G' (1 + gamma (Tc - 25))
 *   Martin & Ruiz (2001) IAM          (1 - exp(-cos t / ar)) / (1 - exp(-1 / ar)),
 *                                     and their diffuse forms (IEC 61853-3)
 *   physical IAM (De Soto 2006)       Fresnel + absorption in the glass
 *   PVWatts inverter (Dobos 2014)     eta = eta_nom / eta_ref (-0.0162 z - 0.0059 / z + 0.9858),
 *                                     z = Pdc / Pdc0, clipped at Pac0 = P0 / (DC/AC ratio)
 *   PVWatts system losses             1 - prod(1 - l_i)
 */
#ifndef SR_PV_H
#define SR_PV_H

#include <stdint.h>
#include "sr_common.h"
#include "sr_options.h"
#include "sr_cadastre.h"

#include "sr_pv_system.h"

/* System losses in % (the given total, or the items combined). */
double		sr_pv_losses_pct(const sr_pv_system *s);

/* ---------- elementary models ---------- */

double		sr_pv_temp_faiman(double poa, double temp_air, double wind,
							  double u0, double u1);
double		sr_pv_temp_pvsyst(double poa, double temp_air, double wind,
							  double uc, double uv, double eta, double alpha);
/* DC power per kWp (kW/kWp) before losses */
double		sr_pv_dc_huld(double geff, double temp_mod, const double k[6]);
double		sr_pv_dc_pvwatts(double geff, double temp_cell, double gamma_pct);
/* IAM at an angle of incidence (deg); 0 beyond 90 */
double		sr_pv_iam_martin_ruiz(double aoi_deg, double a_r);
double		sr_pv_iam_physical(double aoi_deg, double n, double k, double l);
/* diffuse IAM of a plane tilted tilt_deg: sky and ground parts; Martin &
 * Ruiz in closed form (IEC 61853-3), the others by integrating the beam IAM
 * over an isotropic sky (Marion 2017) */
void		sr_pv_iam_diffuse(const sr_pv_system *s, double tilt_deg,
							  double *iam_sky, double *iam_ground);
/* AC power per kWp from DC power per kWp (PVWatts inverter, clipping) */
double		sr_pv_inverter_pvwatts(double pdc, double dc_ac_ratio,
								   double eta_nom, double eta_ref);

/* ---------- a resolved system ---------- */

#define SR_PV_IAM_TAB 1024

typedef struct sr_pv_model
{
	sr_pv_system sys;
	double		loss_factor;	/* 1 - losses */
	double		u0, u1;			/* effective heat loss coefficients */
	double		temp_gain;		/* Faiman 1; PVsyst alpha (1 - eta) */
	double		temp_shift;		/* C per W/m2 added to the thermal model's
								 * temperature so that the DC model reads its
								 * own (cell for PVWatts, module for Huld):
								 * +dT/1000, -dT/1000 or 0 */
	double		pac0, pdc0;		/* per kWp */
	float		iam_tab[SR_PV_IAM_TAB + 2];	/* IAM by cos(aoi), linear */
} sr_pv_model;

sr_status	sr_pv_model_init(const sr_pv_system *s, sr_pv_model *m, sr_err *err);

/* IAM of the model at cos(aoi) (table) and exactly. */
double		sr_pv_model_iam(const sr_pv_model *m, double cos_aoi);
double		sr_pv_model_iam_exact(const sr_pv_model *m, double cos_aoi);

/* AC power per kWp of one hour: geff (after IAM), gpoa (before, for the
 * temperature), air temperature, wind. */
double		sr_pv_power(const sr_pv_model *m, double geff, double gpoa,
						double temp_air, double wind);

/* ---------- hour by hour (the reference) ---------- */

/* One hour's plane-of-array parts (W/m2 over the hour = Wh/m2). */
typedef struct sr_poa_hour
{
	double		beam, sky, ground;	/* beam under the horizon, sky diffuse
									 * under the horizon, ground */
	double		cos_aoi;		/* of the sun (0 when down or behind) */
	int			month;			/* UTC, 0..11 */
} sr_poa_hour;

typedef struct sr_pv_result
{
	double		annual;			/* kWh/kWp */
	double		monthly[12];
	double		poa;			/* plane-of-array irradiation, kWh/m2 */
	double		poa_monthly[12];
} sr_pv_result;

/* The hour-by-hour reference of surface_irradiation_hourly
 * (cadastre_irradiation.c) with each record's parts in hours[n]. */
sr_status	sr_plane_poa_hourly(const sr_weather_rec *recs, int n, double lat,
								double lon, double elevation_m, double tilt,
								double azimuth, const float *elev, int ns,
								double albedo, sr_poa_hour *hours,
								sr_irradiation *out, sr_err *err);

/* The same reference as a stream, for weather read in batches: begin with
 * the plane (its dome tables: ~70 kB at 72 sectors), add the records batch
 * by batch (first: the number of records added before, for messages; hours,
 * n, may be NULL), end with the sums (it frees the state; sr_hourly_free
 * after an error).  Memory does not grow with the records, and the sums are
 * those of one call on all the records in the same order, to the last bit.
 * The times are not checked: the caller refuses two records at one time
 * (sr_weather_duplicate_error gives the error every reader raises). */
typedef struct sr_hourly_sum sr_hourly_sum;
sr_status	sr_hourly_begin(double lat, double lon, double elevation_m, double tilt,
							double azimuth, const float *elev, int ns, double albedo,
							int with_open, sr_hourly_sum **out, sr_err *err);
sr_status	sr_hourly_add(sr_hourly_sum *h, const sr_weather_rec *recs, int n,
						  long long first, sr_poa_hour *hours, sr_err *err);
void		sr_hourly_end(sr_hourly_sum *h, sr_irradiation *out, double *open_annual);
void		sr_hourly_free(sr_hourly_sum *h);
sr_status	sr_weather_duplicate_error(double unix_s, sr_err *err);

/* Apply the model to hourly parts (temp_air / wind NULL: the documented
 * assumption SR_PV_ASSUMED_TEMP / SR_PV_ASSUMED_WIND); hourly_out (n, may be
 * NULL) receives each hour's kWh/kWp. */
#define SR_PV_ASSUMED_TEMP 20.0
#define SR_PV_ASSUMED_WIND 1.0
void		sr_pv_apply_hourly(const sr_pv_model *m, double tilt,
							   const sr_poa_hour *h, int n, const double *temp_air,
							   const double *wind, sr_pv_result *out,
							   double *hourly_out);
/* The same in batches: out zeroed once, sr_pv_add_hourly per batch (the
 * monthly sums go on), sr_pv_end_hourly for the annual totals; the result
 * is sr_pv_apply_hourly's on all the hours, to the last bit. */
void		sr_pv_add_hourly(const sr_pv_model *m, double tilt, const sr_poa_hour *h,
							 int n, const double *temp_air, const double *wind,
							 sr_pv_result *out, double *hourly_out);
void		sr_pv_end_hourly(sr_pv_result *out);

/* Air temperature and wind of EPW records (ta, ws: n values, NaN where the
 * file has its missing code) completed: a missing value takes the mean of
 * its month (of the year when a whole month is missing, of the documented
 * assumption when the file has none). */
#include "sr_solar.h"
void		sr_epw_fill_met(const sr_epw_record *r, int n, double *ta, double *ws);

/* ---------- the fast path: a prepared PV sky ---------- */

typedef struct sr_pv_prep sr_pv_prep;

/* Prepare the system on a sky (v3: its hourly records) for horizons of ns
 * sectors and a ground albedo: per-hour terms, the correction table.
 * SR_EINVAL when the sky carries no hourly records (a sky of an earlier
 * version: see sr_pv_sky_usable). */
sr_status	sr_pv_prepare(const sr_sky_hdr *sky, const sr_pv_system *s, int ns,
						  double albedo, sr_pv_prep **out, sr_err *err);
void		sr_pv_prep_free(sr_pv_prep *p);
int			sr_pv_prep_sectors(const sr_pv_prep *p);
const sr_pv_model *sr_pv_prep_model(const sr_pv_prep *p);

/* 1: hourly records with temperatures; 0: hourly records, temperatures
 * assumed; -1: no hourly records (a sky of version 2: the PV model cannot
 * run, the caller falls back on a performance ratio). */
int			sr_pv_sky_usable(const sr_sky_hdr *sky);

/* The PV yield of a plane under a horizon (elev of the prepared sector
 * count, NULL = open) from the plane's monthly irradiation under that
 * horizon (Wh/m2, as sr_plane_irradiation gives it with the same albedo).
 * hourly_out (sr_pv_prep_nrec entries, may be NULL): each stored hour's
 * kWh/kWp, in the order of sr_pv_prep_hours.  The prep keeps the last
 * plane's per-hour geometry (one thread at a time per prep). */
void		sr_pv_face(sr_pv_prep *p, double tilt, double azimuth,
					   const float *elev, const double monthly_wh[12],
					   sr_pv_result *out, double *hourly_out);
int			sr_pv_prep_nrec(const sr_pv_prep *p);
/* A thread's scratch for sr_pv_face_scratch (sr_alloc'd, for one prep). */
typedef struct sr_pv_scratch sr_pv_scratch;
sr_pv_scratch *sr_pv_scratch_new(const sr_pv_prep *p);
void		sr_pv_scratch_free(sr_pv_scratch *s);
/* sr_pv_face without the hours, the plane kept in s instead of the prep:
 * it neither allocates nor writes the prep, so threads may share the prep,
 * each with its own scratch (sr_parallel.h).  The same result to the bit. */
void		sr_pv_face_scratch(const sr_pv_prep *p, sr_pv_scratch *s, double tilt,
							   double azimuth, const float *elev,
							   const double monthly_wh[12], sr_pv_result *out);
/* End of each stored hour (unix seconds, UTC; sr_pv_prep_nrec of them), in
 * the order of sr_pv_face's hourly_out (month by month, then by the sun's
 * sector, then time). */
void		sr_pv_prep_hours(const sr_pv_prep *p, double *ts);
/* The UTC month (0..11) of each stored hour, the same order. */
void		sr_pv_prep_hour_months(const sr_pv_prep *p, uint8_t *mon);

#endif							/* SR_PV_H */
