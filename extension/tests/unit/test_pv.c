/*
 * test_pv.c — unit tests of the PV system model (pv_model.c), the sky's
 * hourly trailer and its wire form (cadastre_sky.c, cadastre_sky_wire.c)
 * and the fast path against the hour-by-hour reference (pv_sky.c).
 *
 * Expected values were computed independently with numpy from the
 * published equations (pvlib's formulas: temperature.faiman,
 * temperature.pvsyst_cell, pvarray.huld, pvsystem.pvwatts_dc,
 * iam.martin_ruiz(_diffuse), iam.physical, inverter.pvwatts,
 * pvsystem.pvwatts_losses) or by hand, not by this code.
 */
#include "sr_test.h"
#include "sr_pv.h"
#include "sr_solar.h"

#include <stdlib.h>
#include <string.h>

#define EPW "data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw"

static void
test_models(void)
{
	const double k[6] = {-0.017237, -0.040465, -0.004702, 0.000149, 0.000170, 0.000005};
	sr_pv_system s;
	sr_pv_model m;
	sr_err		err;
	double		a, b;

	/* Faiman: 20 + 800 / (26.9 + 6.2 x 2) */
	SR_CHECK_CLOSE(sr_pv_temp_faiman(800, 20, 2, 26.9, 6.2), 40.35623409669211, 1e-12, "Faiman module temperature");
	/* pvlib's docstring example: pvsyst_cell(1000, 10) = 37.93103448275862 */
	SR_CHECK_CLOSE(sr_pv_temp_pvsyst(1000, 10, 0, 29, 0, 0.1, 0.9), 37.93103448275862, 1e-12, "PVsyst cell temperature (pvlib example)");
	SR_CHECK_CLOSE(sr_pv_dc_huld(1000, 25, k), 1.0, 1e-15, "Huld at STC is 1");
	SR_CHECK_CLOSE(sr_pv_dc_huld(600, 45, k), 0.543342597223632, 1e-12, "Huld at 600 W/m2, 45 C");
	SR_CHECK_CLOSE(sr_pv_dc_huld(100, 10, k), 0.0888429789708552, 1e-12, "Huld at 100 W/m2, 10 C");
	SR_CHECK(sr_pv_dc_huld(0, 25, k) == 0 && sr_pv_dc_huld(-5, 25, k) == 0, "Huld without light is 0");
	SR_CHECK_CLOSE(sr_pv_dc_pvwatts(800, 50, -0.37), 0.726, 1e-12, "PVWatts DC: 0.8 (1 - 0.0037 x 25)");
	SR_CHECK_CLOSE(sr_pv_iam_martin_ruiz(0, 0.16), 1.0, 1e-15, "Martin-Ruiz IAM at normal incidence");
	SR_CHECK_CLOSE(sr_pv_iam_martin_ruiz(60, 0.16), 0.957912272084381, 1e-12, "Martin-Ruiz IAM at 60 deg");
	SR_CHECK_CLOSE(sr_pv_iam_martin_ruiz(80, 0.16), 0.663480763721205, 1e-12, "Martin-Ruiz IAM at 80 deg");
	SR_CHECK(sr_pv_iam_martin_ruiz(90, 0.16) == 0 && sr_pv_iam_martin_ruiz(120, 0.16) == 0, "no light from behind");
	SR_CHECK_CLOSE(sr_pv_iam_physical(60, 1.526, 4, 0.002), 0.946002914222613, 1e-12, "physical IAM at 60 deg");
	SR_CHECK_CLOSE(sr_pv_iam_physical(80, 1.526, 4, 0.002), 0.634116693236723, 1e-12, "physical IAM at 80 deg");
	SR_CHECK_CLOSE(sr_pv_iam_physical(0, 1.526, 4, 0.002), 1.0, 1e-12, "physical IAM at normal incidence");
	SR_CHECK_CLOSE(sr_pv_inverter_pvwatts(0.5, 1.2, 0.96, 0.9637), 0.481258023589637, 1e-12, "PVWatts inverter at half load");
	SR_CHECK_CLOSE(sr_pv_inverter_pvwatts(0.05, 1.2, 0.96, 0.9637), 0.0439524162844592, 1e-12, "PVWatts inverter at low load");
	SR_CHECK_CLOSE(sr_pv_inverter_pvwatts(0.9, 1.2, 0.96, 0.9637), 1.0 / 1.2, 1e-15, "PVWatts inverter clips at 1 / DC-AC ratio");
	SR_CHECK(sr_pv_inverter_pvwatts(0.0, 1.2, 0.96, 0.9637) == 0 && sr_pv_inverter_pvwatts(0.001, 1.2, 0.96, 0.9637) == 0,
			 "PVWatts inverter: nothing below its tare");

	sr_pv_defaults(&s);
	SR_CHECK_CLOSE(sr_pv_losses_pct(&s), 11.418206895118, 1e-9, "PVWatts default losses without shading: 11.42 %");
	s.losses_pct = 14;
	SR_CHECK_CLOSE(sr_pv_losses_pct(&s), 14, 1e-12, "system_losses_pct replaces the items");
	sr_pv_defaults(&s);
	sr_pv_iam_diffuse(&s, 30, &a, &b);
	SR_CHECK_CLOSE(a, 0.954973522300251, 1e-12, "Martin-Ruiz diffuse IAM, sky, 30 deg");
	SR_CHECK_CLOSE(b, 0.794442569327782, 1e-12, "Martin-Ruiz diffuse IAM, ground, 30 deg");
	s.iam = SR_PV_IAM_PHYSICAL;
	sr_pv_iam_diffuse(&s, 30, &a, &b);
	/* Marion 2017 on a 2000 x 4000 grid in numpy: 0.95767399, 0.75976497 */
	SR_CHECK_CLOSE(a, 0.95767399, 2e-4, "physical diffuse IAM (Marion), sky, 30 deg");
	SR_CHECK_CLOSE(b, 0.75976497, 5e-4, "physical diffuse IAM (Marion), ground, 30 deg");

	/* the composite hour: beam 600 W/m2 at 30 deg, sky 150, ground 20 on a
	 * 30 deg plane, 25 C, 2 m/s, defaults (free-standing Faiman, Huld,
	 * Martin-Ruiz, losses, PVWatts inverter): numpy gives 0.588273339288886 */
	sr_pv_defaults(&s);
	sr_err_clear(&err);
	SR_CHECK(sr_pv_model_init(&s, &m, &err) == SR_OK, "default system initialises");
	SR_CHECK(m.u0 == 26.9 && m.u1 == 6.2, "Faiman free-standing U0, U1 as PVGIS");
	sr_pv_iam_diffuse(&s, 30, &a, &b);
	SR_CHECK_CLOSE(sr_pv_power(&m, 600 * sr_pv_model_iam_exact(&m, cos(30 * SR_DEG2RAD)) + 150 * a + 20 * b,
							   770, 25, 2), 0.588273339288886, 1e-10, "one hour through the whole model");
	SR_CHECK_CLOSE(sr_pv_model_iam(&m, 0.5), sr_pv_iam_martin_ruiz(60, 0.16), 1e-5, "IAM table within 1e-5");
	s.mounting = SR_PV_MOUNT_BUILDING;
	sr_pv_model_init(&s, &m, &err);
	SR_CHECK(m.u0 == 20.0 && m.u1 == 0.0, "Faiman building-integrated U0, U1 as PVGIS");
	s.u0 = 30;
	sr_pv_model_init(&s, &m, &err);
	SR_CHECK(m.u0 == 30.0 && m.u1 == 0.0, "u0 overrides the mounting's");
	sr_pv_defaults(&s);
	s.dc_ac_ratio = 5;
	SR_CHECK(sr_pv_model_init(&s, &m, &err) == SR_ERANGE, "out-of-range option refused");
	/* options in % typed as fractions (-0.35 %/C written -0.0035) */
	sr_pv_defaults(&s);
	s.gamma_pct = -0.0035;
	SR_CHECK(sr_pv_check(&s, &err) == SR_EINVAL && strstr(err.hint, "written -0.35") != NULL,
			 "a temperature coefficient typed as a fraction is refused, the hint in %/C");
	s.gamma_pct = 0.3;
	SR_CHECK(sr_pv_check(&s, &err) == SR_EINVAL, "a positive temperature coefficient is refused");
	s.gamma_pct = -1;
	SR_CHECK(sr_pv_check(&s, &err) == SR_OK, "-1 %/C is accepted");
	s.gamma_pct = -0.1;
	SR_CHECK(sr_pv_check(&s, &err) == SR_OK, "-0.1 %/C is accepted");
	s.losses_pct = 0.14;
	SR_CHECK(sr_pv_check(&s, &err) == SR_EINVAL && strstr(err.hint, "written 14") != NULL,
			 "system losses of 0.14 % (14 % as a fraction) refused");
	s.losses_pct = 0;
	SR_CHECK(sr_pv_check(&s, &err) == SR_OK, "no losses (0) accepted");
	s.degradation_pct = 0.005;
	SR_CHECK(sr_pv_check(&s, &err) == SR_EINVAL, "a degradation of 0.005 %/year (0.5 % as a fraction) refused");
	s.degradation_pct = 0;
	SR_CHECK(sr_pv_check(&s, &err) == SR_OK, "no degradation (0) accepted");
}

/* Which temperature each DC model reads: Faiman gives the module's (back
 * surface, as PVGIS feeds Huld), PVsyst the cell's; PVWatts's gamma applies
 * to the cell (Dobos 2014; pvlib pvwatts_dc(temp_cell)), Huld to the module
 * (Huld 2011, PVGIS).  Between them SAPM eq. 12 (King 2004, pvlib
 * temperature.sapm_cell_from_module): Tc = Tm + G/1000 x dT, dT = 3 C open
 * rack glass/polymer (free-standing), 0 insulated back (building-integrated).
 * One hour: 800 W/m2 after the IAM, 1000 before, 25 C, 1 m/s (Faiman) or
 * 0 m/s (PVsyst), no losses, no inverter; worked by hand. */
static void
test_temperature_read(void)
{
	sr_pv_system s;
	sr_pv_model m;
	sr_err		err;

	sr_err_clear(&err);
	sr_pv_defaults(&s);
	s.losses_pct = 0;
	s.inverter = SR_PV_INV_NONE;
	s.module = SR_PV_MODULE_PVWATTS;
	SR_CHECK(sr_pv_model_init(&s, &m, &err) == SR_OK, "PVWatts with Faiman initialises");
	/* Tm = 25 + 1000 / 33.1 = 55.21148, Tc = Tm + 3 = 58.21148:
	 * 0.8 (1 - 0.0037 x 33.21148) = 0.701694 (the module's 55.2 gave 0.710574) */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 1), 0.7016940181268883, 1e-12,
				   "PVWatts reads the cell: Faiman's module + 3 C at 1000 W/m2");
	s.mounting = SR_PV_MOUNT_BUILDING;
	sr_pv_model_init(&s, &m, &err);
	/* insulated back: dT = 0, Tc = Tm = 25 + 1000 / 20 = 75: 0.8 (1 - 0.0037 x 50) */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 1), 0.652, 1e-12,
				   "building-integrated (insulated back): cell = module");
	s.mounting = SR_PV_MOUNT_FREE;
	s.temperature = SR_PV_TEMP_PVSYST;
	sr_pv_model_init(&s, &m, &err);
	/* PVsyst's cell: 25 + 0.9 x 1000 x 0.9 / 29 = 52.93103, read as it is */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 0), 0.7173241379310346, 1e-12,
				   "PVWatts with PVsyst reads PVsyst's cell temperature");
	s.module = SR_PV_MODULE_HULD;
	sr_pv_model_init(&s, &m, &err);
	/* Huld at the module: 52.93103 - 3 = 49.93103 C (numpy, the published
	 * formula): 0.709676502427875; at the cell it gave 0.698966566683665 */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 0), 0.7096765024278754, 1e-12,
				   "Huld with PVsyst reads the module: PVsyst's cell - 3 C at 1000 W/m2");
	s.temperature = SR_PV_TEMP_FAIMAN;
	sr_pv_model_init(&s, &m, &err);
	/* PVGIS's pair: Huld at Faiman's module temperature 55.21148 C */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 1), 0.6908735908210031, 1e-12,
				   "Huld with Faiman reads Faiman's module temperature (PVGIS)");
	s.module = SR_PV_MODULE_PVWATTS;
	s.cell_delta_t = 1;
	sr_pv_model_init(&s, &m, &err);
	/* close-mount glass/glass (SAPM): dT = 1, Tc = 56.21148 */
	SR_CHECK_CLOSE(sr_pv_power(&m, 800, 1000, 25, 1), 0.8 * (1 - 0.0037 * (1000 / 33.1 + 1)), 1e-12,
				   "option cell_delta_t replaces the mounting's dT");
}

static int
load_epw(sr_weather_rec **w, double **ta, double **ws, sr_epw_location *loc)
{
	FILE	   *f = fopen(EPW, "rb");
	static char buf[4 << 20];
	size_t		len;
	sr_epw_record *r;
	int			n;
	sr_err		err;

	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	sr_err_clear(&err);
	if (sr_epw_parse(buf, len, loc, &r, &n, &err) != SR_OK)
		return 0;
	*w = malloc(sizeof(sr_weather_rec) * n);
	*ta = malloc(sizeof(double) * n);
	*ws = malloc(sizeof(double) * n);
	for (int i = 0; i < n; i++)
	{
		(*w)[i].unix_s = r[i].ts;
		(*w)[i].ghi = r[i].ghi;
		(*w)[i].dni = r[i].dni;
		(*w)[i].dhi = r[i].dhi;
		(*ta)[i] = r[i].temp_air;
		(*ws)[i] = r[i].wind_speed;
	}
	sr_free(r);
	return n;
}

static void
test_sky_and_fast_path(void)
{
	sr_weather_rec *w;
	double	   *ta, *ws;
	sr_epw_location loc;
	int			n = load_epw(&w, &ta, &ws, &loc);
	sr_sky_hdr *sky, *back;
	size_t		sz, bsz, wlen;
	uint8_t    *wire;
	const sr_sky_hours *h;
	sr_err		err;
	sr_sky_prep *kp;
	sr_pv_prep *pp;
	sr_pv_system sys;
	sr_poa_hour *hh;
	double		worst = 0, worst_m = 0;
	float		hor[72];
	int			ghi_hours = 0;

	SR_CHECK(n == 8760, "Lyon-Bron EPW read");
	if (n != 8760)
		return;
	for (int i = 0; i < n; i++)
		ghi_hours += w[i].ghi > 0;
	sr_err_clear(&err);
	SR_CHECK(sr_sky_build_met(w, ta, ws, n, loc.lat, loc.lon, loc.elevation, &sky, &sz, &err) == SR_OK,
			 "sky with temperature and wind builds");
	h = sr_sky_hours_of(sky);
	SR_CHECK(sky->version == 3 && h && h->n_hour == ghi_hours && (h->flags & SR_SKY_HAS_MET),
			 "version 3: one hourly record per hour with light, temperatures flagged");
	SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_OK, "the version-3 sky validates");
	{
		/* the stored temperatures are the file's, in the same hours */
		double		s = 0, s2 = 0;

		for (int i = 0; i < n; i++)
			if (w[i].ghi > 0)
				s += ta[i];
		for (int i = 0; i < h->n_hour; i++)
			s2 += sr_sky_hours_col(h, 5)[i];
		SR_CHECK_CLOSE(s2, s, 1e-3, "trailer temperatures are the file's");
	}
	/* wire form: "SRSK" version 4, round trip byte for byte */
	SR_CHECK(sr_sky_encode(sky, &wire, &wlen, &err) == SR_OK && memcmp(wire, "SRSK", 4) == 0 &&
			 wire[4] == 4 && wire[5] == 0, "wire form SRSK version 4 (little-endian)");
	SR_CHECK(sr_sky_decode(wire, wlen, &back, &bsz, &err) == SR_OK && bsz == sz &&
			 memcmp((char *) back + 4, (char *) sky + 4, sz - 4) == 0, "wire 4 round trip is exact");
	sr_free(back);
	/* a damaged trailer is refused */
	wire[wlen - 1] = 12;		/* a month 12 */
	SR_CHECK(sr_sky_decode(wire, wlen, &back, &bsz, &err) == SR_ESYNTAX, "month out of range in the trailer refused");
	wire[wlen - 1] = 0;
	SR_CHECK(sr_sky_decode(wire, wlen - 1, &back, &bsz, &err) == SR_ESYNTAX, "truncated trailer refused");
	sr_free(wire);
	{
		/* the same sky as version 2 (no trailer): wire 3, reads back as
		 * version 2, has no hours */
		sr_sky_hdr *v2 = malloc(sr_sky_size(sky->n_sun));

		memcpy(v2, sky, sr_sky_size(sky->n_sun));
		v2->version = 2;
		SR_CHECK(sr_sky_validate(v2, sr_sky_size(sky->n_sun), &err) == SR_OK, "a version-2 sky still validates");
		SR_CHECK(sr_sky_encode(v2, &wire, &wlen, &err) == SR_OK && wire[4] == 3, "a version-2 sky is written as wire 3");
		SR_CHECK(sr_sky_decode(wire, wlen, &back, &bsz, &err) == SR_OK && back->version == 2 &&
				 sr_sky_hours_of(back) == NULL && sr_pv_sky_usable(back) < 0,
				 "wire 3 reads back as version 2, without hours");
		sr_free(back);
		/* the 0.1.0 layout: the raw struct without its varlena word */
		SR_CHECK(sr_sky_decode((uint8_t *) v2 + 4, sr_sky_size(sky->n_sun) - 4, &back, &bsz, &err) == SR_OK &&
				 back->version == 2, "wire 2 (raw 0.1.0 layout) still reads");
		sr_free(back);
		sr_free(wire);
		free(v2);
	}

	/* the fast path against the hour-by-hour reference */
	SR_CHECK(sr_sky_prepare(sky, 72, &kp, &err) == SR_OK, "sky prepared");
	sr_pv_defaults(&sys);
	SR_CHECK(sr_pv_prepare(sky, &sys, 72, 0.25, &pp, &err) == SR_OK, "PV sky prepared");
	hh = malloc(sizeof(sr_poa_hour) * n);
	for (int hc = 0; hc < 2; hc++)
		for (int t = 0; t <= 90; t += 30)
			for (int a = 0; a < 360; a += 90)
			{
				sr_irradiation ir, ih;
				sr_pv_result pf, pr;
				double		e, em = 0, mx = 0;

				if (t == 0 && a > 0)
					continue;
				/* a wall of 20 deg to the south, small jitter elsewhere */
				for (int k = 0; k < 72; k++)
					hor[k] = hc ? (float) (k * 5 > 120 && k * 5 < 240 ? 20 : k % 7) : 0.0f;
				sr_plane_irradiation(kp, t, a, hc ? hor : NULL, 0.25, &ir);
				sr_pv_face(pp, t, a, hc ? hor : NULL, ir.monthly, &pf, NULL);
				sr_plane_poa_hourly(w, n, loc.lat, loc.lon, 0.0, t, a, hc ? hor : NULL, 72, 0.25, hh, &ih, &err);
				sr_pv_apply_hourly(sr_pv_prep_model(pp), t, hh, n, ta, ws, &pr, NULL);
				e = fabs(pf.annual / pr.annual - 1);
				for (int m = 0; m < 12; m++)
					mx = fmax(mx, pr.monthly[m]);
				for (int m = 0; m < 12; m++)
					if (pr.monthly[m] > 0.05 * mx)
						em = fmax(em, fabs(pf.monthly[m] / pr.monthly[m] - 1));
				worst = fmax(worst, e);
				worst_m = fmax(worst_m, em);
			}
	printf("# fast path vs hourly: worst annual %.3f %%, worst month %.3f %%\n", 100 * worst, 100 * worst_m);
	SR_CHECK(worst < 0.005, "fast path within 0.5 % of the hourly reference a year (tilts 0-90, 4 azimuths, open and shaded)");
	SR_CHECK(worst_m < 0.02, "fast path within 2 % of the hourly reference each month");
	{
		/* the model in batches (sr_pv_add_hourly, then sr_pv_end_hourly)
		 * gives sr_pv_apply_hourly's result and hours to the last bit */
		sr_irradiation ih;
		sr_pv_result one, bat;
		double	   *h1 = malloc(sizeof(double) * n), *h2 = malloc(sizeof(double) * n);
		int			same = 1, at = 0;

		sr_plane_poa_hourly(w, n, loc.lat, loc.lon, 0.0, 35, 200, NULL, 72, 0.25, hh, &ih, &err);
		sr_pv_apply_hourly(sr_pv_prep_model(pp), 35, hh, n, ta, ws, &one, h1);
		memset(&bat, 0, sizeof(bat));
		for (int b = 1; at < n; b = b * 3 + 1)
		{
			int			m = b < n - at ? b : n - at;

			sr_pv_add_hourly(sr_pv_prep_model(pp), 35, hh + at, m, ta + at, ws + at, &bat, h2 + at);
			at += m;
		}
		sr_pv_end_hourly(&bat);
		same = one.annual == bat.annual && one.poa == bat.poa;
		for (int m = 0; m < 12; m++)
			same = same && one.monthly[m] == bat.monthly[m] && one.poa_monthly[m] == bat.poa_monthly[m];
		for (int i = 0; i < n; i++)
			same = same && h1[i] == h2[i];
		SR_CHECK(same, "the model in batches = in one call, to the last bit (totals and hours)");
		free(h1);
		free(h2);
	}
	{
		/* the hourly output sums to the annual */
		int			nr = sr_pv_prep_nrec(pp);
		double	   *hv = malloc(sizeof(double) * nr), *ts = malloc(sizeof(double) * nr), s = 0;
		sr_irradiation ir;
		sr_pv_result pf;
		int			ordered = 1;

		sr_plane_irradiation(kp, 35, 180, NULL, 0.25, &ir);
		sr_pv_face(pp, 35, 180, NULL, ir.monthly, &pf, hv);
		sr_pv_prep_hours(pp, ts);
		for (int i = 0; i < nr; i++)
		{
			s += hv[i];
			ordered &= isfinite(ts[i]) && hv[i] >= 0;
		}
		SR_CHECK(nr == ghi_hours && ordered, "one hourly value per hour with light");
		SR_CHECK_CLOSE(s, pf.annual, 1e-3, "the hours sum to the year");
		free(hv);
		free(ts);
	}
	sr_pv_prep_free(pp);
	/* without temperatures: the documented assumption */
	{
		sr_sky_hdr *s0;
		size_t		s0z;

		SR_CHECK(sr_sky_build(w, n, loc.lat, loc.lon, loc.elevation, &s0, &s0z, &err) == SR_OK &&
				 sr_pv_sky_usable(s0) == 0, "a sky without temperatures is usable with the assumption");
		sr_free(s0);
	}
	sr_sky_prep_free(kp);
	free(hh);
	sr_free(sky);
	free(w);
	free(ta);
	free(ws);
}

static void
test_epw_fill(void)
{
	sr_epw_record r[4];
	double		ta[4] = {10, NAN, 20, NAN}, ws[4] = {1, 3, NAN, NAN};

	memset(r, 0, sizeof(r));
	r[0].month = r[1].month = r[2].month = 1;
	r[3].month = 2;
	sr_epw_fill_met(r, 4, ta, ws);
	SR_CHECK(ta[1] == 15 && ws[2] == 2, "a missing value takes its month's mean");
	SR_CHECK(ta[3] == 15 && ws[3] == 2, "a month with none takes the year's");
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_models();
	test_temperature_read();
	test_epw_fill();
	test_sky_and_fast_path();
	return SR_TEST_END();
}
