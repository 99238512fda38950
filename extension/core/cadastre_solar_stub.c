/* cadastre_solar_stub.c — TEMPORARY weak stand-ins for the solar core (branch solar)
 * so the cadastre builds before it is merged; the real strong definitions
 * in extension/core/solar_*.c override these. Removed once solar is merged. */

#include "sr_solar.h"
#include <math.h>
__attribute__((weak)) sr_status sr_sun_position(double unix_s, double lat, double lon, double elevation_m,
	double pressure_hpa, double temperature_c, double delta_t_s, sr_solpos *out, sr_err *err)
{
	(void) elevation_m; (void) pressure_hpa; (void) temperature_c; (void) delta_t_s; (void) err;
	double jd = unix_s / 86400.0 + 2440587.5, n = jd - 2451545.0;
	double L = fmod(280.460 + 0.9856474 * n, 360), g = fmod(357.528 + 0.9856003 * n, 360) * SR_DEG2RAD;
	double lam = (L + 1.915 * sin(g) + 0.020 * sin(2 * g)) * SR_DEG2RAD, eps = (23.439 - 0.0000004 * n) * SR_DEG2RAD;
	double ra = atan2(cos(eps) * sin(lam), cos(lam)), dec = asin(sin(eps) * sin(lam));
	double gmst = fmod(280.46061837 + 360.98564736629 * n, 360);
	double H = (gmst + lon) * SR_DEG2RAD - ra, phi = lat * SR_DEG2RAD;
	double se = sin(phi) * sin(dec) + cos(phi) * cos(dec) * cos(H), e = asin(se);
	double az = atan2(-sin(H), tan(dec) * cos(phi) - sin(phi) * cos(H)) * SR_RAD2DEG;
	if (az < 0) az += 360;
	out->zenith = 90 - e * SR_RAD2DEG; out->apparent_zenith = out->zenith;
	out->elevation = e * SR_RAD2DEG; out->apparent_elevation = out->elevation; out->azimuth = az; out->equation_of_time = 0;
	return SR_OK;
}
__attribute__((weak)) double sr_cos_aoi(double tilt, double saz, double zen, double az)
{
	return cos(tilt * SR_DEG2RAD) * cos(zen * SR_DEG2RAD) + sin(tilt * SR_DEG2RAD) * sin(zen * SR_DEG2RAD) * cos((az - saz) * SR_DEG2RAD);
}
