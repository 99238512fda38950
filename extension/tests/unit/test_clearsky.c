/*
 * test_clearsky.c — the clear-sky year of sky_clearsky (cadastre_clearsky.c):
 * its hours (count, leap years, times), one hour worked by hand from the
 * Ineichen-Perez formulas at the SPA sun, the refusal of a site too high for
 * the model (the summit of Everest) and of its arguments' bounds.
 */
#include "sr_cadastre.h"
#include "sr_solar.h"
#include "sr_test.h"

#include <stdlib.h>
#include <string.h>

#define D2R (3.14159265358979323846 / 180.0)

/* The standard-atmosphere pressure (Pa) at elevation h (m). */
static double
pressure_at(double h)
{
	return 101325.0 * pow(1.0 - 2.25577e-5 * h, 5.25588);
}

/* The SPA sun at the middle of the hour ending at unix_s (12 C, delta_t 67 s). */
static sr_solpos
sun_mid_hour(double unix_s, double lat, double lon, double h)
{
	sr_spa_time t;
	sr_solpos	p;
	sr_err		err;

	sr_err_clear(&err);
	sr_spa_time_init(unix_s - 1800.0, 67.0, &t, &err);
	sr_spa_site(&t, lat, lon, h, pressure_at(h) / 100.0, 12.0, &p);
	return p;
}

/*
 * The clear sky written out from the papers, not from the core: Kasten and
 * Young's (1989) relative airmass at the apparent zenith z, times p / p0;
 * Spencer's (1971) extraterrestrial irradiance on day of year doy; Ineichen
 * and Perez (2002) Eq. 8 (global), Eq. 7 (beam, b = 0.664 + 0.163 / fh1)
 * and the beam's limit from the global; the diffuse is what is left.
 */
static void
ineichen_by_hand(double z, double h, double tl, int doy, double *ghi, double *dni,
				 double *dhi)
{
	double		cz = cos(z * D2R);
	double		am = 1.0 / (cz + 0.50572 * pow(96.07995 - z, -1.6364)) * pressure_at(h) / 101325.0;
	double		g = 2.0 * 3.14159265358979323846 * (doy - 1) / 365.0;
	double		ea = 1366.1 * (1.00011 + 0.034221 * cos(g) + 0.00128 * sin(g) +
							   0.000719 * cos(2 * g) + 0.000077 * sin(2 * g));
	double		fh1 = exp(-h / 8000.0),
				fh2 = exp(-h / 1250.0);
	double		cg1 = 5.09e-5 * h + 0.868,
				cg2 = 3.92e-5 * h + 0.0387;
	double		beam,
				limit;

	*ghi = cg1 * ea * cz * exp(-cg2 * am * (fh1 + fh2 * (tl - 1.0)));
	beam = ea * (0.664 + 0.163 / fh1) * exp(-0.09 * am * (tl - 1.0));
	limit = *ghi * (1.0 - (0.1 - 0.2 * exp(-tl)) / (0.1 + 0.882 / fh1)) / cz;
	*dni = beam < limit ? beam : limit;
	*dhi = *ghi - *dni * cz;
}

static void
test_hours(void)
{
	sr_weather_rec *r;
	int			n;
	sr_err		err;

	/* Gregorian leap years: by 4, not by 100 unless by 400 */
	SR_CHECK(sr_clearsky_year_hours(2019) == 8760 && sr_clearsky_year_hours(2020) == 8784 &&
			 sr_clearsky_year_hours(1900) == 8760 && sr_clearsky_year_hours(2000) == 8784 &&
			 sr_clearsky_year_hours(2100) == 8760,
			 "clearsky: 8,760 hours a year, 8,784 in 2020 and 2000, not in 1900 and 2100");

	/* 2019-01-01 00:00 UTC is Unix 1546300800, 2020-01-01 1577836800,
	 * 2021-01-01 1609459200 (365 and 366 days of 86,400 s) */
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, 3, 2019, &r, &n, &err) == SR_OK && n == 8760 &&
			 r[0].unix_s == 1546300800.0 + 3600 && r[n - 1].unix_s == 1577836800.0,
			 "clearsky 2019: its hours end at 01:00 on 1 January, ..., 00:00 on 1 January 2020");
	{
		int			steps = 1;

		for (int i = 1; i < n; i++)
			steps &= r[i].unix_s - r[i - 1].unix_s == 3600.0;
		SR_CHECK(steps, "clearsky 2019: one hour apart, every one");
	}
	/* midnight in Lyon (the hour ending 01:00 UTC): no sun, no sky */
	SR_CHECK(r[0].ghi == 0 && r[0].dni == 0 && r[0].dhi == 0,
			 "clearsky 2019: the hour ending 01:00 UTC in Lyon is dark");
	{
		int			ok = 1;

		for (int i = 0; i < n; i++)
			ok &= r[i].ghi >= 0 && r[i].dni >= 0 && r[i].dhi >= 0 && r[i].ghi <= 1500 &&
				r[i].dni <= 1500;
		SR_CHECK(ok, "clearsky 2019: every hour between 0 and 1500 W/m2");
	}

	/*
	 * One hour by hand: the hour ending 2019-06-21 12:00 UTC (day 172, record
	 * 171 x 24 + 11 = 4115) at Lyon (45.76 N, 4.83 E, 170 m), turbidity 3.
	 * SPA at 11:30 UTC (993.0 hPa, 12 C): apparent zenith 22.45985 deg.
	 * Kasten-Young: am = 1.081557 x 99299.36 / 101325 = 1.059935; Spencer
	 * on day 172: 1366.1 x 0.967443 = 1321.624 W/m2; fh1 = e^(-170/8000) =
	 * 0.978975, fh2 = e^(-170/1250) = 0.872843, cg1 = 0.876653, cg2 =
	 * 0.045364; GHI = cg1 x 1321.624 x cos z x e^(-cg2 am (fh1 + 2 fh2)) =
	 * 939.248 W/m2; the beam b = 0.664 + 0.163 / fh1 = 0.830500, DNI =
	 * 1321.624 x b x e^(-0.09 x am x 2) = 906.963 (below its limit from the
	 * global, 924.912); DHI = 939.248 - 906.963 cos z = 101.080 W/m2.
	 */
	{
		int			i = 171 * 24 + 11;
		sr_solpos	p = sun_mid_hour(r[i].unix_s, 45.76, 4.83, 170);
		double		g,
					b,
					d;

		ineichen_by_hand(p.apparent_zenith, 170, 3, 172, &g, &b, &d);
		SR_CHECK(r[i].unix_s == 1561118400.0, "clearsky 2019: record 4115 ends at 2019-06-21 12:00 UTC");
		SR_CHECK_CLOSE(p.apparent_zenith, 22.45985, 1e-5, "clearsky: the SPA sun at 11:30 UTC");
		SR_CHECK_CLOSE(r[i].ghi, 939.248, 1e-3, "clearsky: Lyon's GHI at noon of the solstice, by hand");
		SR_CHECK_CLOSE(r[i].dni, 906.963, 1e-3, "clearsky: Lyon's DNI at noon of the solstice, by hand");
		SR_CHECK_CLOSE(r[i].dhi, 101.080, 1e-3, "clearsky: Lyon's DHI at noon of the solstice, by hand");
		SR_CHECK(fabs(r[i].ghi - g) < 1e-9 && fabs(r[i].dni - b) < 1e-9 && fabs(r[i].dhi - d) < 1e-9,
				 "clearsky: the same hour from the papers' formulas, to 1e-9 W/m2");
	}
	sr_free(r);

	/* a leap year: 8,784 hours, 2020-01-01 01:00 (1577840400) to
	 * 2021-01-01 00:00 (1609459200); 29 February has its sun */
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, 3, 2020, &r, &n, &err) == SR_OK && n == 8784 &&
			 r[0].unix_s == 1577840400.0 && r[n - 1].unix_s == 1609459200.0,
			 "clearsky 2020: 8,784 hours to 00:00 on 1 January 2021");
	/* the hour ending 2020-02-29 12:00 UTC: record 59 x 24 + 11 */
	SR_CHECK(r[59 * 24 + 11].unix_s == 1582977600.0 && r[59 * 24 + 11].ghi > 300,
			 "clearsky 2020: noon of 29 February is a sunny hour");
	sr_free(r);
}

static void
test_high_sites(void)
{
	sr_weather_rec *r;
	int			n,
				first = -1;
	double		t0 = 1546300800.0 + 3600;	/* 2019-01-01 01:00 UTC */
	double		g,
				b,
				d;
	char		want[64];
	sr_err		err;

	/*
	 * The summit of Everest (27.988 N, 86.925 E, 8848 m) at turbidity 1: fh1
	 * = e^(-8848/8000) = 0.3309, the beam's b = 0.664 + 0.163 / fh1 = 1.157
	 * > 1, so the beam is 1.157 times the extraterrestrial (1412 W/m2 in
	 * January) at any sun height, and only its limit from the global keeps
	 * it lower while the sun is low.  The first hour of the year above
	 * 1500 W/m2, by hand: the year is refused there.
	 */
	for (int i = 0; i < 24 && first < 0; i++)
	{
		sr_solpos	p = sun_mid_hour(t0 + 3600.0 * i, 27.988, 86.925, 8848);

		if (p.apparent_zenith < 90)
		{
			ineichen_by_hand(p.apparent_zenith, 8848, 1, 1, &g, &b, &d);
			if (g > 1500 || b > 1500 || d > 1500)
				first = i;
		}
	}
	SR_CHECK(first >= 0 && b > 1500 && b < 1.157 * 1414.0,
			 "clearsky: Everest's beam passes 1500 W/m2 on 1 January, by hand");
	snprintf(want, sizeof(want), "At 2019-01-01 %02d:00 UTC the Ineichen-Perez clear sky gives",
			 first + 1);
	sr_err_clear(&err);
	r = NULL;
	SR_CHECK(sr_clearsky_year(27.988, 86.925, 8848, 1, 2019, &r, &n, &err) == SR_ERANGE &&
			 r == NULL &&
			 strcmp(err.msg, "the clear sky at elevation 8848 m exceeds 1500 W/m2, the most a sky holds") == 0 &&
			 strncmp(err.detail, want, strlen(want)) == 0 &&
			 strstr(err.hint, "sky_agg") != NULL,
			 "clearsky: Everest's summit is refused at that hour, naming the elevation");

	/* Mont Blanc (45.833 N, 6.865 E, 4808 m): b = 0.664 + 0.163 / e^(-4808/8000)
	 * = 0.961 < 1, a sky at the clearest turbidity */
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.833, 6.865, 4808, 1, 2019, &r, &n, &err) == SR_OK && n == 8760,
			 "clearsky: Mont Blanc's summit at turbidity 1 is a year of sky");
	{
		double		max = 0;

		for (int i = 0; i < n; i++)
			max = fmax(max, r[i].dni);
		/* at most b = 0.9613 times the extraterrestrial, whose largest is
		 * Spencer's on 1 January: 1366.1 x 1.03505 = 1414.0 W/m2 */
		SR_CHECK(max > 1000 && max <= 0.9613 * 1414.0 + 0.5,
				 "clearsky: Mont Blanc's beam at most b x 1414 W/m2");
	}
	sr_free(r);
}

static void
test_arguments(void)
{
	sr_weather_rec *r;
	sr_sky_hdr *sky;
	size_t		size;
	int			n;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, 0.5, 2019, &r, &n, &err) == SR_ERANGE &&
			 strcmp(err.msg, "parameter \"linke_turbidity\" is out of range: 0.5") == 0,
			 "clearsky: turbidity 0.5 is out of range");
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, NAN, 2019, &r, &n, &err) == SR_ERANGE &&
			 strcmp(err.msg, "parameter \"linke_turbidity\" is out of range: NaN") == 0,
			 "clearsky: turbidity NaN is out of range, named as SQL prints it");
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, 3, 1899, &r, &n, &err) == SR_ERANGE &&
			 strcmp(err.msg, "parameter \"year\" is out of range: 1899") == 0 &&
			 strcmp(err.detail, "The year must be between 1900 and 2100.") == 0,
			 "clearsky: year 1899 is out of range");
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 9000.5, 3, 2019, &r, &n, &err) == SR_ERANGE &&
			 strcmp(err.msg, "site elevation 9000.5 m is out of range") == 0,
			 "clearsky: an elevation of 9000.5 m is out of range");
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_check(1, 1900, -500, &err) == SR_OK &&
			 sr_clearsky_check(10, 2100, 9000, &err) == SR_OK,
			 "clearsky: the bounds themselves are accepted");
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(95, 4.83, 170, 3, 2019, &r, &n, &err) != SR_OK &&
			 strstr(err.msg, "\"lat\"") != NULL,
			 "clearsky: a latitude of 95 is refused as sun_position's lat");

	/* the sky of the year: what sky_agg builds of its 8,760 hours, its GHI
	 * the sum of theirs (Wh/m2, an hour each) */
	sr_err_clear(&err);
	SR_CHECK(sr_clearsky_year(45.76, 4.83, 170, 3, 2019, &r, &n, &err) == SR_OK,
			 "clearsky: Lyon's year again");
	{
		double		sum = 0;

		for (int i = 0; i < n; i++)
			sum += r[i].ghi;
		sr_free(r);
		SR_CHECK(sr_sky_clearsky(45.76, 4.83, 170, 3, 2019, &sky, &size, &err) == SR_OK &&
				 sr_sky_validate(sky, size, &err) == SR_OK && sky->n_rec == 8760 &&
				 fabs(sky->ghi_sum / sum - 1) < 1e-9 && sky->lat == 45.76 &&
				 sky->elevation_m == 170,
				 "clearsky: the year's sky holds its 8,760 hours and their GHI");
		sr_free(sky);
	}
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_hours();
	test_high_sites();
	test_arguments();
	return SR_TEST_END();
}
