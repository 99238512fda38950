/*
 * pv_model.c — the photovoltaic system model (sr_pv.h, docs/pv.md): its
 * options with their sources, the elementary models, and their application
 * hour by hour to plane-of-array parts (the reference).  The fast path on a
 * cumulative sky is in pv_sky.c.
 *
 * References:
 *   D. Faiman (2008), Assessing the outdoor operating temperature of
 *     photovoltaic modules, Prog. Photovolt. 16(4) 307-315; PVGIS's U0, U1
 *     (JRC, "PVGIS data sources & calculation methods": free-standing
 *     26.9 W/m2K and 6.2 W s/m3K, building-integrated 20.0 and 0).
 *   PVsyst, "Array thermal losses" (Uc 29 free-standing, 15 insulated,
 *     alpha 0.9, module efficiency 0.1), as pvlib.temperature.pvsyst_cell.
 *   T. Huld et al. (2011), A power-rating model for crystalline silicon PV
 *     modules, Sol. Energy Mater. Sol. Cells 95 3359-3369; the c-Si
 *     coefficients of PVGIS 5 (as pvlib.pvarray.huld, k_version 'pvgis5').
 *   A. Dobos (2014), PVWatts Version 5 Manual, NREL/TP-6A20-62641: DC
 *     power, inverter curve (eta_ref 0.9637), the loss items; PVWatts 8
 *     defaults for the temperature coefficient (-0.37 %/C, standard module)
 *     and the DC/AC ratio (1.2).
 *   N. Martin, J. M. Ruiz (2001), Sol. Energy Mater. Sol. Cells 70 25-38,
 *     and its corrigendum (2013); diffuse forms of IEC 61853-3 (as
 *     pvlib.iam.martin_ruiz_diffuse).
 *   W. De Soto, S. Klein, W. Beckman (2006), Sol. Energy 80 78-88 (physical
 *     IAM, as pvlib.iam.physical without coating); B. Marion (2017), Sol.
 *     Energy 147 344-348 (diffuse IAM as the integral of the beam IAM).
 *   D. Jordan, S. Kurtz (2013), Photovoltaic degradation rates - an
 *     analytical review, Prog. Photovolt. 21 12-29 (median 0.5 %/year).
 */
#include "sr_pv.h"

#include <math.h>
#include <string.h>

/* ---------- options ---------- */

static const double huld_csi_pvgis5[6] = {-0.017237, -0.040465, -0.004702, 0.000149, 0.000170, 0.000005};
static const char *const module_choices[] = {"huld", "pvwatts", NULL};
static const char *const temp_choices[] = {"faiman", "pvsyst", NULL};
static const char *const mount_choices[] = {"free_standing", "building_integrated", NULL};
static const char *const iam_choices[] = {"martin_ruiz", "physical", "none", NULL};
static const char *const inv_choices[] = {"pvwatts", "none", NULL};

#define O(f) offsetof(sr_pv_system, f)
static const sr_optspec pv_specs[] = {
	{"module_model", SR_OPT_CHOICE, O(module), .def = 0, .choices = module_choices,
	 .meaning = "DC power: huld (Huld et al. 2011, PVGIS's c-Si model, at the module temperature) or pvwatts (linear temperature coefficient, at the cell temperature)"},
	{"huld_k", SR_OPT_NUMBERS, O(huld_k), -1, 1, 0, huld_csi_pvgis5, .n = 6,
	 .meaning = "Huld k1..k6 (default: PVGIS 5 crystalline silicon, as pvlib.pvarray.huld)"},
	{"gamma_pdc_pct", SR_OPT_NUMBER, O(gamma_pct), -2, 0.5, -0.37, .unit = "%/C",
	 .meaning = "PVWatts temperature coefficient of power, in percent (PVWatts 8 standard module: -0.37); outside -1 to -0.1 refused as implausible (22023: -0.0035 is -0.35 typed as a fraction)"},
	{"temperature_model", SR_OPT_CHOICE, O(temperature), .def = 0, .choices = temp_choices,
	 .meaning = "thermal model: faiman (Faiman 2008, as PVGIS: the module's temperature) or pvsyst (PVsyst heat loss factors: the cell's temperature)"},
	{"mounting", SR_OPT_CHOICE, O(mounting), .def = 0, .choices = mount_choices,
	 .meaning = "heat loss defaults: free_standing (Faiman U0 26.9, U1 6.2, PVGIS's default, for racked and ventilated rooftop modules; PVsyst Uc 29) or building_integrated (U0 20, U1 0 as PVGIS, modules in the roof with no ventilation; PVsyst Uc 15, insulated)"},
	{"u0", SR_OPT_NUMBER, O(u0), 1, 100, NAN, .unit = "W/m2K", .flags = SR_OPTF_NODEFAULT,
	 .meaning = "constant heat loss coefficient (Faiman U0 or PVsyst Uc); default from mounting"},
	{"u1", SR_OPT_NUMBER, O(u1), 0, 50, NAN, .unit = "W s/m3K", .flags = SR_OPTF_NODEFAULT,
	 .meaning = "wind heat loss coefficient (Faiman U1 or PVsyst Uv); default from mounting"},
	{"cell_delta_t", SR_OPT_NUMBER, O(cell_delta_t), 0, 10, NAN, .unit = "C", .flags = SR_OPTF_NODEFAULT,
	 .meaning = "cell minus module (back) temperature at 1000 W/m2 (SAPM, King 2004 eq. 12): gives pvwatts the cell temperature from faiman's module temperature, and huld the module temperature from pvsyst's cell temperature; default from mounting: 3 free_standing (open rack, glass/polymer), 0 building_integrated (insulated back)"},
	{"pvsyst_alpha", SR_OPT_NUMBER, O(pvsyst_alpha), 0.1, 1, 0.9,
	 .meaning = "PVsyst absorption coefficient (pvlib's default)"},
	{"pvsyst_module_efficiency", SR_OPT_NUMBER, O(pvsyst_eta), 0, 0.5, 0.1,
	 .meaning = "PVsyst module efficiency in the heat balance (pvlib's default)"},
	{"iam_model", SR_OPT_CHOICE, O(iam), .def = 0, .choices = iam_choices,
	 .meaning = "angle-of-incidence loss: martin_ruiz (Martin & Ruiz 2001, as PVGIS), physical (Fresnel and absorption, De Soto 2006) or none"},
	{"iam_a_r", SR_OPT_NUMBER, O(iam_a_r), 0.05, 0.5, 0.16,
	 .meaning = "Martin & Ruiz angular loss coefficient (0.16: glass, c-Si, as PVGIS and pvlib)"},
	{"iam_n", SR_OPT_NUMBER, O(iam_n), 1.05, 3, 1.526,
	 .meaning = "physical IAM: refraction index of the glass (pvlib's default)"},
	{"iam_k", SR_OPT_NUMBER, O(iam_k), 0, 100, 4, .unit = "1/m",
	 .meaning = "physical IAM: glazing extinction coefficient (pvlib's default)"},
	{"iam_l", SR_OPT_NUMBER, O(iam_l), 0, 0.02, 0.002, .unit = "m",
	 .meaning = "physical IAM: glazing thickness (pvlib's default)"},
	{"inverter_model", SR_OPT_CHOICE, O(inverter), .def = 0, .choices = inv_choices,
	 .meaning = "pvwatts (PVWatts inverter curve with clipping) or none (AC = DC, as PVGIS whose losses include the inverter)"},
	{"inverter_efficiency", SR_OPT_NUMBER, O(eta_inv_nom), 0.5, 1, 0.96,
	 .meaning = "PVWatts nominal inverter efficiency (PVWatts default 0.96)"},
	{"inverter_efficiency_ref", SR_OPT_NUMBER, O(eta_inv_ref), 0.5, 1, 0.9637,
	 .meaning = "PVWatts reference inverter efficiency of the curve (0.9637)"},
	{"dc_ac_ratio", SR_OPT_NUMBER, O(dc_ac_ratio), 0.5, 3, 1.2,
	 .meaning = "module DC rating over inverter AC rating; AC is clipped at 1 / ratio per kWp (PVWatts 8 default 1.2)"},
	{"soiling_pct", SR_OPT_NUMBER, O(soiling), 0, 50, 2, .unit = "%", .meaning = "PVWatts loss item (default 2)"},
	{"snow_pct", SR_OPT_NUMBER, O(snow), 0, 50, 0, .unit = "%", .meaning = "PVWatts loss item (default 0)"},
	{"mismatch_pct", SR_OPT_NUMBER, O(mismatch), 0, 50, 2, .unit = "%", .meaning = "PVWatts loss item (default 2)"},
	{"wiring_pct", SR_OPT_NUMBER, O(wiring), 0, 50, 2, .unit = "%", .meaning = "PVWatts loss item (default 2)"},
	{"connections_pct", SR_OPT_NUMBER, O(connections), 0, 50, 0.5, .unit = "%", .meaning = "PVWatts loss item (default 0.5)"},
	{"lid_pct", SR_OPT_NUMBER, O(lid), 0, 50, 1.5, .unit = "%",
	 .meaning = "PVWatts loss item, light-induced degradation (default 1.5)"},
	{"nameplate_pct", SR_OPT_NUMBER, O(nameplate), 0, 50, 1, .unit = "%", .meaning = "PVWatts loss item (default 1)"},
	{"age_pct", SR_OPT_NUMBER, O(age), 0, 50, 0, .unit = "%", .meaning = "PVWatts loss item (default 0)"},
	{"availability_pct", SR_OPT_NUMBER, O(availability), 0, 50, 3, .unit = "%", .meaning = "PVWatts loss item (default 3)"},
	{"system_losses_pct", SR_OPT_NUMBER, O(losses_pct), 0, 90, NAN, .unit = "%", .flags = SR_OPTF_NODEFAULT,
	 .meaning = "all DC losses at once, in percent (e.g. 14 for PVGIS's default; between 0 and 1 refused as a fraction, 22023); default: the PVWatts items combined, 1 - prod(1 - item) = 11.42 % (PVWatts's 14.08 % without its shading item)"},
	{"degradation_pct_per_year", SR_OPT_NUMBER, O(degradation_pct), 0, 5, 0.5, .unit = "%/year",
	 .meaning = "output loss per year of age, in percent (Jordan & Kurtz 2013 median; between 0 and 0.05 refused as a fraction, 22023); used by the economics, the yields are of the first year"},
	{"performance_ratio", SR_OPT_NUMBER, O(fallback_pr), 0.1, 1, 0.8,
	 .meaning = "used only with a sky of version 2, which has no hourly weather: kWh/kWp = the plane's irradiation (kWh/m2) x this ratio (NOTICE)"},
};
#undef O

const sr_optset sr_pv_optset = {
	"pv_yield", "option", pv_specs, sizeof(pv_specs) / sizeof(pv_specs[0])
};

void
sr_pv_defaults(sr_pv_system *s)
{
	sr_options_defaults(&sr_pv_optset, s);
}

/*
 * Options in % typed as fractions: within their hard ranges, but not a
 * system.  The temperature coefficient: module datasheets give about -0.25
 * to -0.45 %/C for c-Si, -0.28 to -0.32 CdTe, -0.32 to -0.39 CIGS (PVWatts 8:
 * -0.37 standard, -0.35 premium, -0.32 thin film); [-1, -0.1] keeps a wide
 * margin and refuses -0.0035 (-0.35 %/C as a fraction), which gave almost no
 * temperature loss.  A whole system's losses in (0, 1) % and a degradation
 * in (0, 0.05) %/year (Jordan & Kurtz 2013: median 0.5) are fractions too;
 * 0 (none) stays accepted.  The loss items can be below 1 % (connections
 * 0.5 by default) and the efficiencies are fractions whose ranges end at 1,
 * so they are left to their ranges.
 */
static sr_status
check_plausible(const sr_pv_system *s, sr_err *err)
{
	double		g = s->gamma_pct;

	if (!(g >= -1.0 && g <= -0.1))
	{
		sr_error(err, SR_EINVAL, "option \"gamma_pdc_pct\" %g is not a plausible temperature coefficient", g);
		sr_error_detail(err, "Module datasheets give about -0.25 to -0.45 %%/C (crystalline silicon, CdTe, CIGS); "
						"the accepted range is [-1, -0.1] %%/C.");
		if (g < 0 && g > -0.01)
			sr_error_hint(err, "The coefficient is in percent per degree C: %g as a fraction is written %g.",
						  g, g * 100.0);
		else
			sr_error_hint(err, "The coefficient is in percent per degree C and negative, the power falling as the cells heat: "
						  "-0.37 for a standard module (PVWatts 8).");
		return SR_EINVAL;
	}
	if (!isnan(s->losses_pct) && s->losses_pct > 0 && s->losses_pct < 1)
	{
		sr_error(err, SR_EINVAL, "option \"system_losses_pct\" %g is not a plausible loss of a whole system", s->losses_pct);
		sr_error_detail(err, "The losses of a system (soiling, mismatch, wiring, availability...) are several percent; "
						"0 means none.");
		sr_error_hint(err, "The option is in percent: %g as a fraction is written %g.", s->losses_pct, s->losses_pct * 100.0);
		return SR_EINVAL;
	}
	if (s->degradation_pct > 0 && s->degradation_pct < 0.05)
	{
		sr_error(err, SR_EINVAL, "option \"degradation_pct_per_year\" %g is not a plausible degradation rate", s->degradation_pct);
		sr_error_detail(err, "Measured rates are about 0.2 to 1 %% a year, median 0.5 (Jordan & Kurtz 2013); 0 means none.");
		sr_error_hint(err, "The option is in percent a year: %g as a fraction is written %g.",
					  s->degradation_pct, s->degradation_pct * 100.0);
		return SR_EINVAL;
	}
	return SR_OK;
}

sr_status
sr_pv_check(const sr_pv_system *s, sr_err *err)
{
	sr_status	st;

	for (int i = 0; i < sr_pv_optset.n; i++)
	{
		const sr_optspec *sp = &pv_specs[i];
		double		v;

		if (sp->type == SR_OPT_NUMBER)
		{
			v = *(const double *) ((const char *) s + sp->offset);
			if ((sp->flags & SR_OPTF_NODEFAULT) && isnan(v))
				continue;
			if (!(v >= sp->min && v <= sp->max))
				return sr_error(err, SR_ERANGE, "option \"%s\" is out of range: %g", sp->name, v);
		}
	}
	if ((st = check_plausible(s, err)) != SR_OK)
		return st;
	if (s->module < 0 || s->module > 1 || s->temperature < 0 || s->temperature > 1 ||
		s->mounting < 0 || s->mounting > 1 || s->iam < 0 || s->iam > 2 ||
		s->inverter < 0 || s->inverter > 1)
		return sr_error(err, SR_EINVAL, "invalid PV system choice");
	if (s->inverter == SR_PV_INV_PVWATTS && s->eta_inv_nom > s->eta_inv_ref * 1.05)
		return sr_error(err, SR_EINVAL, "option \"inverter_efficiency\" %g is far above the curve's reference %g",
						s->eta_inv_nom, s->eta_inv_ref);
	return SR_OK;
}

double
sr_pv_losses_pct(const sr_pv_system *s)
{
	double		items[9] = {s->soiling, s->snow, s->mismatch, s->wiring, s->connections,
	s->lid, s->nameplate, s->age, s->availability};
	double		keep = 1.0;

	if (!isnan(s->losses_pct))
		return s->losses_pct;
	for (int i = 0; i < 9; i++)
		keep *= 1.0 - items[i] / 100.0;
	return 100.0 * (1.0 - keep);
}

/* ---------- elementary models ---------- */

double
sr_pv_temp_faiman(double poa, double temp_air, double wind, double u0, double u1)
{
	return temp_air + poa / (u0 + u1 * wind);
}

double
sr_pv_temp_pvsyst(double poa, double temp_air, double wind, double uc, double uv,
				  double eta, double alpha)
{
	return temp_air + alpha * poa * (1.0 - eta) / (uc + uv * wind);
}

double
sr_pv_dc_huld(double geff, double temp_mod, const double k[6])
{
	double		g = geff / 1000.0, t = temp_mod - 25.0, lg;

	if (!(g > 0))
		return 0.0;
	lg = log(g);
	/* Huld et al. 2011 eq. 1, P0 factored out (PVGIS's form) */
	return g * (1.0 + k[0] * lg + k[1] * lg * lg + t * (k[2] + k[3] * lg + k[4] * lg * lg) +
				k[5] * t * t);
}

double
sr_pv_dc_pvwatts(double geff, double temp_cell, double gamma_pct)
{
	return geff / 1000.0 * (1.0 + gamma_pct / 100.0 * (temp_cell - 25.0));
}

double
sr_pv_iam_martin_ruiz(double aoi_deg, double a_r)
{
	double		c = cos(aoi_deg * SR_DEG2RAD);

	if (!(fabs(aoi_deg) < 90.0))
		return 0.0;
	return (1.0 - exp(-c / a_r)) / (1.0 - exp(-1.0 / a_r));
}

double
sr_pv_iam_physical(double aoi_deg, double n, double k, double l)
{
	double		c1, s1, s2, c2, rs, rp, ts, tp, t0;

	if (!(fabs(aoi_deg) < 90.0))
		return 0.0;
	c1 = cos(aoi_deg * SR_DEG2RAD);
	s1 = sqrt(fmax(0.0, 1.0 - c1 * c1));
	s2 = s1 / n;				/* Snell: refraction into the glass */
	c2 = sqrt(1.0 - s2 * s2);
	/* Fresnel reflectance of s- and p-polarised light at the surface */
	rs = (c1 - n * c2) / (c1 + n * c2);
	rp = (c2 - n * c1) / (c2 + n * c1);
	ts = (1.0 - rs * rs) * exp(-k * l / c2);
	tp = (1.0 - rp * rp) * exp(-k * l / c2);
	t0 = (1.0 - ((1.0 - n) / (1.0 + n)) * ((1.0 - n) / (1.0 + n))) * exp(-k * l);
	return (ts + tp) / 2.0 / t0;
}

static double
beam_iam(const sr_pv_system *s, double aoi_deg)
{
	switch (s->iam)
	{
		case SR_PV_IAM_MARTIN_RUIZ:
			return sr_pv_iam_martin_ruiz(aoi_deg, s->iam_a_r);
		case SR_PV_IAM_PHYSICAL:
			return sr_pv_iam_physical(aoi_deg, s->iam_n, s->iam_k, s->iam_l);
		default:
			return fabs(aoi_deg) < 90.0 ? 1.0 : 0.0;
	}
}

/* Marion (2017): the diffuse IAM of an isotropic sky (or ground) seen by a
 * plane is the cos-weighted mean of the beam IAM over the directions it
 * sees; midpoint rule on 0.5-degree cells of the plane's own hemisphere
 * (polar angle t from the normal, azimuth p around it). */
static void
iam_diffuse_integral(const sr_pv_system *s, double tilt_deg, double *sky, double *gnd)
{
	const int	nt = 180, np = 360;
	double		b = tilt_deg * SR_DEG2RAD, sb = sin(b), cb = cos(b);
	double		ws = 0, wg = 0, is = 0, ig = 0;

	for (int i = 0; i < nt; i++)
	{
		double		t = (i + 0.5) * (SR_PI / 2) / nt;
		double		ct = cos(t), st = sin(t);
		double		w = ct * st;	/* cos(aoi) dOmega / (dt dp) */
		double		iam = beam_iam(s, t * SR_RAD2DEG);

		for (int j = 0; j < np; j++)
		{
			double		p = (j + 0.5) * 2 * SR_PI / np;
			/* the direction's height: the normal (sin b, 0, cos b) tilted
			 * plane frame, component along the vertical */
			double		z = ct * cb + st * cos(p) * sb;

			if (z >= 0)
			{
				ws += w;
				is += w * iam;
			}
			else
			{
				wg += w;
				ig += w * iam;
			}
		}
	}
	*sky = ws > 0 ? is / ws : 1.0;
	*gnd = wg > 0 ? ig / wg : *sky;
}

void
sr_pv_iam_diffuse(const sr_pv_system *s, double tilt_deg, double *iam_sky, double *iam_ground)
{
	if (s->iam == SR_PV_IAM_NONE)
	{
		*iam_sky = *iam_ground = 1.0;
		return;
	}
	if (s->iam == SR_PV_IAM_MARTIN_RUIZ)
	{
		/* IEC 61853-3 / pvlib.iam.martin_ruiz_diffuse: c1 = 4 / (3 pi),
		 * c2 = 0.5 a_r - 0.154 */
		double		t = tilt_deg < 1e-6 ? 1e-6 : tilt_deg;
		double		b = t * SR_DEG2RAD, sb = sin(b), ar = s->iam_a_r;
		double		c1 = 0.4244, c2 = 0.5 * ar - 0.154;
		double		tsky = sb + (SR_PI - b - sb) / (1.0 + cos(b));
		double		tgnd = sb + (b - sb) / (1.0 - cos(b));

		*iam_sky = 1.0 - exp(-(c1 + c2 * tsky) * tsky / ar);
		*iam_ground = 1.0 - exp(-(c1 + c2 * tgnd) * tgnd / ar);
		return;
	}
	iam_diffuse_integral(s, tilt_deg, iam_sky, iam_ground);
}

double
sr_pv_inverter_pvwatts(double pdc, double dc_ac_ratio, double eta_nom, double eta_ref)
{
	double		pac0 = 1.0 / dc_ac_ratio, pdc0 = pac0 / eta_nom, z, eta, pac;

	if (!(pdc > 0))
		return 0.0;
	z = pdc / pdc0;
	eta = eta_nom / eta_ref * (-0.0162 * z - 0.0059 / z + 0.9858);
	pac = eta * pdc;
	if (pac > pac0)
		pac = pac0;
	return pac > 0 ? pac : 0.0;
}

/* ---------- a resolved system ---------- */

sr_status
sr_pv_model_init(const sr_pv_system *s, sr_pv_model *m, sr_err *err)
{
	sr_status	st;

	memset(m, 0, sizeof(*m));
	if ((st = sr_pv_check(s, err)) != SR_OK)
		return st;
	m->sys = *s;
	m->loss_factor = 1.0 - sr_pv_losses_pct(s) / 100.0;
	if (s->temperature == SR_PV_TEMP_FAIMAN)
	{
		m->u0 = s->mounting == SR_PV_MOUNT_FREE ? 26.9 : 20.0;
		m->u1 = s->mounting == SR_PV_MOUNT_FREE ? 6.2 : 0.0;
		m->temp_gain = 1.0;
	}
	else
	{
		m->u0 = s->mounting == SR_PV_MOUNT_FREE ? 29.0 : 15.0;
		m->u1 = 0.0;
		m->temp_gain = s->pvsyst_alpha * (1.0 - s->pvsyst_eta);
	}
	if (!isnan(s->u0))
		m->u0 = s->u0;
	if (!isnan(s->u1))
		m->u1 = s->u1;

	/*
	 * Each thermal model gives one temperature and each DC model reads one:
	 * Faiman (2008) fitted the module's back-surface temperature, which PVGIS
	 * feeds to Huld (2011), fitted on module temperatures; PVsyst gives the
	 * cell's; PVWatts's gamma applies to the cell (Dobos 2014; pvlib
	 * pvwatts_dc(temp_cell)).  Between the two, SAPM eq. 12 (King et al.
	 * 2004, pvlib temperature.sapm_cell_from_module): Tc = Tm + G/1000 dT,
	 * G the plane-of-array irradiance before the IAM.
	 */
	{
		double		dt = !isnan(s->cell_delta_t) ? s->cell_delta_t :
			s->mounting == SR_PV_MOUNT_FREE ? 3.0 : 0.0;
		int			gives_cell = s->temperature == SR_PV_TEMP_PVSYST;
		int			reads_cell = s->module == SR_PV_MODULE_PVWATTS;

		m->temp_shift = gives_cell == reads_cell ? 0.0 : (reads_cell ? dt : -dt) / 1000.0;
	}
	m->pac0 = 1.0 / s->dc_ac_ratio;
	m->pdc0 = m->pac0 / s->eta_inv_nom;
	for (int i = 0; i <= SR_PV_IAM_TAB + 1; i++)
	{
		double		c = (double) i / SR_PV_IAM_TAB;

		if (c > 1)
			c = 1;
		m->iam_tab[i] = (float) beam_iam(s, acos(c) * SR_RAD2DEG);
	}
	return SR_OK;
}

double
sr_pv_model_iam_exact(const sr_pv_model *m, double cos_aoi)
{
	if (!(cos_aoi > 0))
		return 0.0;
	return beam_iam(&m->sys, acos(cos_aoi > 1 ? 1 : cos_aoi) * SR_RAD2DEG);
}

double
sr_pv_model_iam(const sr_pv_model *m, double cos_aoi)
{
	double		f;
	int			i;

	if (!(cos_aoi > 0))
		return 0.0;
	f = (cos_aoi > 1 ? 1 : cos_aoi) * SR_PV_IAM_TAB;
	i = (int) f;
	if (i >= SR_PV_IAM_TAB)
		i = SR_PV_IAM_TAB - 1;
	f -= i;
	return m->iam_tab[i] + f * (m->iam_tab[i + 1] - m->iam_tab[i]);
}

double
sr_pv_power(const sr_pv_model *m, double geff, double gpoa, double temp_air, double wind)
{
	const sr_pv_system *s = &m->sys;
	/* the temperature the DC model reads (module for Huld, cell for PVWatts) */
	double		tm = temp_air + gpoa * (m->temp_gain / (m->u0 + m->u1 * wind) + m->temp_shift);
	double		pdc;

	if (!(geff > 0))
		return 0.0;
	pdc = s->module == SR_PV_MODULE_HULD ? sr_pv_dc_huld(geff, tm, s->huld_k)
		: sr_pv_dc_pvwatts(geff, tm, s->gamma_pct);
	pdc *= m->loss_factor;
	if (!(pdc > 0))
		return 0.0;
	if (s->inverter == SR_PV_INV_NONE)
		return pdc;
	return sr_pv_inverter_pvwatts(pdc, s->dc_ac_ratio, s->eta_inv_nom, s->eta_inv_ref);
}

/* ---------- hour by hour ---------- */

void
sr_pv_add_hourly(const sr_pv_model *m, double tilt, const sr_poa_hour *h, int n,
				 const double *temp_air, const double *wind, sr_pv_result *out,
				 double *hourly_out)
{
	double		isky, ignd;

	sr_pv_iam_diffuse(&m->sys, tilt, &isky, &ignd);
	for (int i = 0; i < n; i++)
	{
		double		gp = h[i].beam + h[i].sky + h[i].ground;
		double		ge = h[i].beam * sr_pv_model_iam_exact(m, h[i].cos_aoi) +
			h[i].sky * isky + h[i].ground * ignd;
		double		ta = temp_air ? temp_air[i] : SR_PV_ASSUMED_TEMP;
		double		ws = wind ? wind[i] : SR_PV_ASSUMED_WIND;
		double		p = sr_pv_power(m, ge, gp, ta, ws);

		out->monthly[h[i].month] += p;
		out->poa_monthly[h[i].month] += gp / 1000.0;
		if (hourly_out)
			hourly_out[i] = p;
	}
}

void
sr_pv_end_hourly(sr_pv_result *out)
{
	out->annual = 0;
	out->poa = 0;
	for (int k = 0; k < 12; k++)
	{
		out->annual += out->monthly[k];
		out->poa += out->poa_monthly[k];
	}
}

void
sr_pv_apply_hourly(const sr_pv_model *m, double tilt, const sr_poa_hour *h, int n,
				   const double *temp_air, const double *wind, sr_pv_result *out,
				   double *hourly_out)
{
	memset(out, 0, sizeof(*out));
	sr_pv_add_hourly(m, tilt, h, n, temp_air, wind, out, hourly_out);
	sr_pv_end_hourly(out);
}

/* ---------- EPW temperature and wind ---------- */

void
sr_epw_fill_met(const sr_epw_record *r, int n, double *ta, double *ws)
{
	double	   *col[2] = {ta, ws};
	double		assumed[2] = {SR_PV_ASSUMED_TEMP, SR_PV_ASSUMED_WIND};

	for (int k = 0; k < 2; k++)
	{
		double		msum[12] = {0}, all = 0.0;
		int			mcnt[12] = {0}, acnt = 0;

		for (int i = 0; i < n; i++)
			if (!isnan(col[k][i]) && r[i].month >= 1 && r[i].month <= 12)
			{
				msum[r[i].month - 1] += col[k][i];
				mcnt[r[i].month - 1]++;
				all += col[k][i];
				acnt++;
			}
		for (int i = 0; i < n; i++)
			if (isnan(col[k][i]))
			{
				int			m = r[i].month - 1;

				col[k][i] = m >= 0 && m < 12 && mcnt[m] ? msum[m] / mcnt[m] :
					acnt ? all / acnt : assumed[k];
			}
	}
}
