/*
 * sr_cadastre.h — solar cadastre core: roof planes, horizons from 3D
 * buildings, the cumulative sky of a weather year and the irradiation of a
 * plane under a horizon.
 *
 * Conventions (as sr_solar.h): angles in degrees, azimuths clockwise from
 * north (180 = south), tilt from horizontal; irradiation in Wh/m2 inside the
 * core (kWh/m2 only at the SQL boundary); coordinates in metres of a
 * projected SRID.
 *
 * Horizon sectors: with N sectors, sector k is centred on azimuth k*360/N
 * and covers [k*360/N - 180/N, k*360/N + 180/N).  Its value is the largest
 * elevation angle of any obstacle point seen in that wedge within the
 * radius (a step function; sr_horizon_interp gives the interpolated view).
 *
 * Weather reconciliation (used by the sky AND the hourly reference):
 *   horizontal beam Bh = max(0, GHI - DHI)   (the file's DNI is not used)
 *   sun up (apparent elevation > 0): DNI* = min(Bh / cos z, E0n) where E0n
 *     is the extraterrestrial normal irradiance; DHI* = GHI - DNI* cos z
 *   sun down: DNI* = 0, DHI* = GHI (all isotropic diffuse)
 * so DNI* cos z + DHI* = GHI on every record (energy conserved on the
 * horizontal), and the cap only moves energy from beam to diffuse near the
 * horizon where Bh / cos z would explode.
 *
 * Diffuse sky: the Perez all-weather radiance distribution (Perez, Seals &
 * Michalsky 1993, with the erratum), normalised on every record so that the
 * sky's horizontal irradiance is DHI*, accumulated per sky patch of the
 * Reinhart subdivision (MF = 4: 2,305 patches) as in Radiance's gendaymtx.
 * The beam DNI* stays at the sun's exact position of every record: it is
 * never spread over patches.
 */
#ifndef SR_CADASTRE_H
#define SR_CADASTRE_H

#include <stdint.h>
#include "sr_common.h"
#include "sr_geom.h"
#include "sr_options.h"
#include "sr_pv_system.h"
#include "sr_economics.h"

#define SR_HORIZON_MIN_SECTORS 4
#define SR_HORIZON_MAX_SECTORS 720

/* ---------- roof plane ---------- */

/* A polygon in 3D: rings of vertices (closing vertex repeated or not). */
typedef struct sr_poly3
{
	int			nrings;
	const int  *ring_npts;		/* points per ring (ring 0 = exterior) */
	const double *xyz;			/* all rings' points, x y z interleaved */
} sr_poly3;

typedef struct sr_plane
{
	double		tilt;			/* deg, 0..90 (normal turned upwards) */
	double		azimuth;		/* deg clockwise from north; 180 when flat */
	double		area_3d;		/* true area in the fitted plane, m2 */
	double		area_2d;		/* area of the horizontal projection, m2 */
	double		perimeter_2d;	/* perimeter of every ring (the exterior and the
								 * holes' edges), 2D, m */
	int			holes;			/* interior rings */
	double		cx, cy, cz;		/* centroid (vertex mean) */
	double		rms;			/* rms distance of the vertices to the plane, m */
} sr_plane;

/* Least-squares plane (smallest-eigenvalue normal of the vertex covariance)
 * of a polygon, with its true 3D area (holes subtracted). */
sr_status	sr_roof_plane_fit(const sr_poly3 *poly, sr_plane *out, sr_err *err);

/* ---------- obstacles, grid index, horizon ---------- */

/* A set of obstacles: prisms (building footprints, rings in 2D, up to an
 * absolute top z) and, where is3d says so, 3D polygons (the surfaces of a
 * city model: their rings with each point at its own z, seen as they are,
 * a wall as a wall).  Filled by the caller; arrays owned by the caller. */
typedef struct sr_obstacles
{
	int			n;				/* obstacles */
	const double *ztop;			/* [n] absolute top height (a 3D polygon's
								 * highest point) */
	const int  *ring_start;		/* [n+1] index of the first ring of each obstacle */
	const int  *pt_start;		/* [nrings+1] index of the first point of each ring */
	const double *xy;			/* points, x y interleaved */
	const double *z;			/* [points] z of each point (3D polygons), or
								 * NULL when every obstacle is a prism */
	const unsigned char *is3d;	/* [n] 1: a 3D polygon, 0: a prism; NULL: all
								 * prisms */
} sr_obstacles;

typedef struct sr_grid sr_grid;

/* Build a uniform grid index (cell size in m; 0 picks one) over the
 * obstacles' bounding boxes. */
sr_status	sr_grid_build(const sr_obstacles *obs, double cell_m, sr_grid **out,
						  sr_err *err);
void		sr_grid_free(sr_grid *g);

/* Horizon seen from (x, y, z): elevation in degrees (>= 0) per sector.
 * Obstacle 'exclude' (index, or -1) is ignored (the face's own polygon or building).
 * Buildings are visited near to far and culled against the running
 * horizon. */
sr_status	sr_horizon_compute(const sr_grid *g, double x, double y, double z,
							   double radius_m, int nsectors, int exclude,
							   double *elev_deg, sr_err *err);

/* Horizon by brute force over every edge (no index, no culling): the
 * reference for tests. */
void		sr_horizon_bruteforce(const sr_obstacles *obs, double x, double y,
								  double z, double radius_m, int nsectors,
								  int exclude, double *elev_deg);

/* Check a horizon: sector count in range, elevations finite in [-90, 90].
 * Shared by the text and binary input of smartregion.horizon. */
sr_status	sr_horizon_validate(const float *elev, int nsectors, sr_err *err);

/* Sector of an azimuth (deg). */
int			sr_horizon_sector(double azimuth, int nsectors);

/* Linear interpolation between sector centres. */
double		sr_horizon_interp(const float *elev, int nsectors, double azimuth);

/*
 * Columns the irradiation kernels compute a horizon of nsectors on: the
 * plane's own horizon (where a tilted plane turns its back to the sky) is
 * cut at each column's centre, which on wide sectors misses light (an open
 * horizon of 4 sectors gave 0.45 % less than of 72 on a 35 deg plane).
 * Below 36 sectors the kernels work on the smallest odd multiple of
 * nsectors that is at least 72 (4 -> 76, 8 -> 72, 16 -> 80), the same step
 * horizon on narrow columns; 36 and more are kept.
 */
#define SR_HORIZON_NARROW_SECTORS 36
int			sr_horizon_columns(int nsectors);

/* The same rule with another bound: below narrow_below sectors, the
 * smallest odd multiple of nsectors that is at least 72 (the area
 * sampler's diffuse, whose cut is coarser, narrows below 72). */
int			sr_horizon_columns_below(int nsectors, int narrow_below);

/* The horizon of nsectors written on ncolumns = sr_horizon_columns()
 * columns (an odd multiple: each sector's value repeated, centres kept). */
void		sr_horizon_expand(const float *elev, int nsectors, int ncolumns, float *out);

/* ---------- weather reconciliation and Perez parts ---------- */

typedef struct sr_sky_parts
{
	double		dni;			/* reconciled DNI*, W/m2 */
	double		dhi;			/* reconciled DHI*, W/m2 */
	double		elevation;		/* apparent sun elevation, deg */
	double		azimuth;		/* sun azimuth, deg */
	int			sun_up;
	int			doy;			/* day of the year (set by the caller) */
} sr_sky_parts;

/* Reconcile one record (see the header comment).  doy = day of the year
 * (for E0n). */
void		sr_sky_split(double ghi, double dhi, double zenith_deg,
						 double azimuth_deg, int doy, sr_sky_parts *p);

/* Perez 1990 F1, F2 (allsitescomposite1990); zenith < 90. */
void		sr_perez_f1f2(double dni, double dhi, double zenith_deg,
						  double dni_extra, double *f1, double *f2);

/* Standard pressure (hPa) at a site elevation (m), for the refraction of
 * the sun positions of the sky and of the hourly reference. */
double		sr_sky_pressure_hpa(double elevation_m);

/* Extraterrestrial normal irradiance (Spencer 1971), W/m2. */
double		sr_dni_extra(int doy);

/* Perez all-weather model: the five parameters of the relative radiance
 *   lv(zeta, gamma) = (1 + a exp(b / cos zeta)) (1 + c exp(d gamma) + e cos^2 gamma)
 * (zeta: zenith angle of the sky element, gamma: its angle to the sun, both
 * radians; lv floored at 0).  The gradation term 1 + a exp(b / cos zeta)
 * is held at its value at 6 deg of elevation (the centre of the lowest
 * Tregenza band, the lowest sky element the model was fitted on) below it:
 * with b > 0 (bright overcast, low sun) exp(b / cos zeta) grows without
 * bound towards the horizon, and a result would then depend on how finely
 * the sky is cut (Radiance's gendaymtx samples patch centres, so its
 * horizon row changes with the subdivision).
 * Inputs: reconciled DNI* and DHI* (W/m2), solar zenith (deg, taken >= 3
 * deg as gendaymtx does), E0n.  Returns 0 and leaves p untouched when the
 * model does not apply (DHI* = 0 or the sun down). */
typedef struct sr_perez_aw
{
	double		a, b, c, d, e;
	double		eps, delta;		/* sky clearness and brightness */
	int			bin;			/* clearness bin, 0..7 */
} sr_perez_aw;

int			sr_perez_aw_params(double dni, double dhi, double zenith_deg,
							   double dni_extra, sr_perez_aw *p);
double		sr_perez_aw_lv(const sr_perez_aw *p, double cos_zeta, double gamma);
#define SR_PEREZ_AW_MIN_COSZ 0.10452846326765347	/* sin(6 deg) */

/* Reinhart sky subdivision, MF = SR_SKY_MF: rows of height
 * alpha = 90 / (7 MF + 0.5) deg from the horizon, patch j of a row of n is
 * centred on azimuth 360 j / n, the last row is the zenith cap. */
#define SR_SKY_MF 4
#define SR_SKY_NROWS (7 * SR_SKY_MF + 1)
#define SR_SKY_NPATCH (144 * SR_SKY_MF * SR_SKY_MF + 1)
int			sr_sky_row_patches(int row);	/* patches in a row */
int			sr_sky_row_first(int row);		/* index of its first patch */
double		sr_sky_row_bottom(int row);	/* deg; row SR_SKY_NROWS = 90 */
/* Solid angle (sr) of a patch of the row. */
double		sr_sky_patch_solid_angle(int row);

/* ---------- cumulative sky ---------- */

/* Version 3 appends an hourly trailer (below) to the version-2 layout;
 * a version-2 value (no trailer) is still read everywhere. */
#define SR_SKY_VERSION 3

/* The most hours one sky holds: the records aggregated, and so the suns it
 * lists (a sky value of more suns is refused by sr_sky_validate and by the
 * wire form).  1,000,000 hours are 114 years of hourly weather at one site;
 * a sky keeps each of its hours (sun position, hourly trailer), so sky_agg
 * keeps its rows until the final function and refuses the row past it. */
#define SR_SKY_MAX_HOURS 1000000

/* One weather record, as read from a table or an EPW file. */
typedef struct sr_weather_rec
{
	double		unix_s;			/* END of the hourly interval, UTC */
	double		ghi, dni, dhi;	/* W/m2 */
} sr_weather_rec;

/* The most an hour's GHI, DNI or DHI can be (W/m2): the extraterrestrial
 * normal irradiance is 1,414 W/m2 at most (early January) and an hour's mean under
 * cloud enhancement stays below it.  One bound for the sky (sky_agg,
 * sky_from_epw) and the hour-by-hour references: beyond it the weather is in
 * another unit (J/m2 over the hour, 3600 times W/m2, as ERA5's). */
#define SR_WEATHER_MAX_WM2 1500.0

/* SR_EDATA naming the record (1-based) when one of its irradiances is above
 * SR_WEATHER_MAX_WM2, SR_OK otherwise. */
sr_status	sr_weather_check_max(const sr_weather_rec *r, long long recno, sr_err *err);

/* The accepted range of an hour's air temperature (C) and wind speed (m/s)
 * wherever they are read (sky_agg, skies, the hourly PV model): NaN and
 * infinities are outside. */
#define SR_MET_TEMP_MIN (-90.0)
#define SR_MET_TEMP_MAX 70.0
#define SR_MET_WIND_MAX 100.0
static inline bool
sr_met_valid(double temp_air, double wind_speed)
{
	return temp_air >= SR_MET_TEMP_MIN && temp_air <= SR_MET_TEMP_MAX &&
		wind_speed >= 0.0 && wind_speed <= SR_MET_WIND_MAX;
}

/* Flat serialised sky.  The first 4 bytes are reserved for a varlena
 * header (the core writes 0); arrays follow the header in this order:
 * float rad[12][SR_SKY_NPATCH] (cumulative diffuse radiance per month and
 * patch, Wh/m2/sr), double az[n_sun], el[n_sun], en[n_sun] (beam DNI*
 * Wh/m2 at the exact sun position); uint8 month[n_sun]. */
typedef struct sr_sky_hdr
{
	int32_t		vl_len_;		/* reserved for the server's varlena header */
	uint8_t		version;
	uint8_t		mf;				/* Reinhart subdivision (SR_SKY_MF) */
	uint16_t	reserved;
	int32_t		n_sun;			/* daylight records with beam */
	int32_t		n_rec;			/* records aggregated */
	int32_t		n_day;			/* records with the sun up */
	int32_t		n_patch;		/* SR_SKY_NPATCH */
	double		lat, lon, elevation_m;
	double		ghi_sum, dni_sum, dhi_sum;	/* the file's own sums, Wh/m2 */
	double		m_ghi[12];		/* per month, Wh/m2 */
	double		m_dhi[12];		/* reconciled diffuse (horizontal), Wh/m2 */
	double		m_beam_h[12];	/* reconciled horizontal beam, Wh/m2 */
} sr_sky_hdr;

size_t		sr_sky_size(int n_sun);
const float *sr_sky_rad(const sr_sky_hdr *s);	/* [12][n_patch] */
const double *sr_sky_az(const sr_sky_hdr *s);
const double *sr_sky_el(const sr_sky_hdr *s);
const double *sr_sky_en(const sr_sky_hdr *s);
const uint8_t *sr_sky_month(const sr_sky_hdr *s);

/* Version 3: after the version-2 arrays, at the next multiple of 8 bytes,
 * the hours with light (GHI > 0) of the weather, for the PV model
 * (sr_pv.h): this header, then double ts[n_hour] (end of the hour, unix s,
 * increasing), float ghi, dhi (reconciled DHI*), dni (DNI*: > 0 exactly for
 * the hours of the sun list, in the same order), el (apparent sun
 * elevation, deg), az, temp_air (C), wind (m/s) [n_hour] each; uint8
 * month[n_hour] (UTC, 0..11). */
#define SR_SKY_HAS_MET 0x1		/* temp_air and wind measured (else 0) */
typedef struct sr_sky_hours
{
	int32_t		n_hour;
	int32_t		flags;
	double		temp_sum, wind_sum;	/* their sums (a cache key) */
} sr_sky_hours;

/* The trailer of a version-3 sky, NULL for version 2. */
const sr_sky_hours *sr_sky_hours_of(const sr_sky_hdr *s);
const double *sr_sky_hours_ts(const sr_sky_hours *h);
/* k: 0 ghi, 1 dhi, 2 dni, 3 el, 4 az, 5 temp_air, 6 wind */
const float *sr_sky_hours_col(const sr_sky_hours *h, int k);
const uint8_t *sr_sky_hours_month(const sr_sky_hours *h);
/* Size of a version-3 sky. */
size_t		sr_sky_size3(int n_sun, int n_hour);

/* Build a sky from hourly records (any order; sorted inside).  Validates:
 * finite, non-negative irradiance, DHI <= GHI + 1 W/m2 tolerance is not
 * required (reconciliation handles it), no duplicate timestamps, lat/lon in
 * range, at most SR_SKY_MAX_HOURS records (else SR_ERANGE).  Records are
 * taken as one hour each.  Returns an sr_alloc'd blob. */
sr_status	sr_sky_build(const sr_weather_rec *recs, int n, double lat,
						 double lon, double elevation_m, sr_sky_hdr **out,
						 size_t *out_size, sr_err *err);
/* The same with each record's air temperature (C) and wind speed (m/s)
 * (both NULL: not measured, SR_SKY_HAS_MET unset). */
sr_status	sr_sky_build_met(const sr_weather_rec *recs, const double *temp_air,
							 const double *wind, int n, double lat, double lon,
							 double elevation_m, sr_sky_hdr **out,
							 size_t *out_size, sr_err *err);

/* The clear-sky year of sky_clearsky (cadastre_clearsky.c).  Its
 * arguments' ranges: the Linke turbidity, the year, the site's elevation
 * (m). */
#define SR_CLEARSKY_TL_MIN 1.0
#define SR_CLEARSKY_TL_MAX 10.0
#define SR_CLEARSKY_YEAR_MIN 1900
#define SR_CLEARSKY_YEAR_MAX 2100
#define SR_CLEARSKY_ELEV_MIN (-500.0)
#define SR_CLEARSKY_ELEV_MAX 9000.0
/* The turbidity, year and elevation checked against those ranges, in that
 * order (SR_ERANGE naming the parameter, the range in the detail). */
sr_status	sr_clearsky_check(double linke_turbidity, int year, double elevation_m,
							  sr_err *err);
/* The hours of a year (UTC): 8,760, or 8,784 in a leap year. */
int			sr_clearsky_year_hours(int year);
/* Every hour of year (UTC) as a weather record ending at 01:00 on 1 January,
 * ..., 00:00 on the next 1 January: the SPA sun at mid-hour (delta_t 67 s,
 * 12 C, the standard-atmosphere pressure 101325 (1 - 2.25577e-5 h)^5.25588
 * Pa at elevation h); while its apparent zenith is below 90 degrees, the
 * Ineichen-Perez clear sky (Kasten-Young 1989 airmass at that pressure,
 * Spencer's extraterrestrial irradiance at the hour's end, the given Linke
 * turbidity); zero otherwise.  The arguments are checked (sr_clearsky_check,
 * then the site as sun_position's); an hour above 1500 W/m2, the most a sky
 * holds (Ineichen-Perez's altitude terms above about 5,000 m), is SR_ERANGE
 * naming the elevation, the hour in the detail.  *out is sr_alloc'd. */
sr_status	sr_clearsky_year(double lat, double lon, double elevation_m,
							 double linke_turbidity, int year, sr_weather_rec **out,
							 int *n, sr_err *err);
/* sky_clearsky: the sky sr_sky_build makes of sr_clearsky_year's records. */
sr_status	sr_sky_clearsky(double lat, double lon, double elevation_m,
							double linke_turbidity, int year, sr_sky_hdr **out,
							size_t *out_size, sr_err *err);

/* The portable wire form of a sky (cadastre_sky_wire.c): little-endian,
 * versioned; decode reads the current and every older version and
 * validates.  Buffers are sr_alloc'd. */
sr_status	sr_sky_encode(const sr_sky_hdr *s, uint8_t **out, size_t *outlen,
						  sr_err *err);
sr_status	sr_sky_decode(const uint8_t *buf, size_t len, sr_sky_hdr **out,
						  size_t *size, sr_err *err);

/* Check a serialised sky (version, sizes, finite values, ranges). */
sr_status	sr_sky_validate(const void *blob, size_t size, sr_err *err);

/* Sky prepared for N horizon sectors (one column of the dome per sector):
 * per column and patch row, the diffuse radiance integrals and the beam of
 * the suns above the row, with the suns of the column sorted by elevation
 * (docs/internals.md). */
typedef struct sr_sky_prep sr_sky_prep;

sr_status	sr_sky_prepare(const sr_sky_hdr *sky, int nsectors,
						   sr_sky_prep **out, sr_err *err);
void		sr_sky_prep_free(sr_sky_prep *p);
int			sr_sky_prep_sectors(const sr_sky_prep *p);
/* Most sun positions in one count-table bin (1/8 deg of one sector; the
 * kernel scans a bin's suns one by one), for tests and diagnostics. */
int			sr_sky_prep_bin_max(const sr_sky_prep *p);

typedef struct sr_irradiation
{
	double		annual;			/* Wh/m2 */
	double		monthly[12];	/* Wh/m2 */
	double		beam, sky_diffuse, ground;	/* annual parts, Wh/m2 */
} sr_irradiation;

/* Irradiation of a plane under a horizon of the prepared sector count
 * (elev NULL = open horizon).  tilt in [0, 90]. */
void		sr_plane_irradiation(const sr_sky_prep *p, double tilt,
								   double azimuth, const float *elev,
								   double albedo, sr_irradiation *out);

/* The same, annual total only (Wh/m2): reads 3 prefix sums per sector
 * instead of 36; used for the open-horizon reference and module planes. */
double		sr_plane_irradiation_annual(const sr_sky_prep *p, double tilt,
										double azimuth, const float *elev,
										double albedo);

/* sr_plane_irradiation and, in the same pass, the annual total of the plane
 * under an open horizon (= sr_plane_irradiation_annual(p, tilt, azimuth,
 * NULL, albedo) to float rounding): what a shading loss needs. */
void		sr_plane_irradiation_shading(const sr_sky_prep *p, double tilt,
										 double azimuth, const float *elev,
										 double albedo, sr_irradiation *out,
										 double *open_annual);

/* The same sums by brute force, independent of the column tables: every
 * patch cut into 16 azimuth slices, each integrated exactly in elevation
 * above max(horizon, where the plane turns its back), and every sun tested
 * one by one (monthly != 0: as sr_plane_irradiation, else annual only).
 * About a millisecond per plane: the reference the fast path is tested
 * against. */
void		sr_plane_irradiation_reference(const sr_sky_prep *p, double tilt,
										   double azimuth, const float *elev,
										   double albedo, int monthly,
										   sr_irradiation *out);

/* Hour-by-hour reference: sun position of every record (SPA), the Perez
 * all-weather distribution of that hour integrated over a fine dome (1.5 deg
 * in elevation, half a sector in azimuth) under the horizon, the beam at the
 * exact sun position.  Independent of the patches and of the tables. */
sr_status	sr_plane_irradiation_hourly(const sr_weather_rec *recs, int n,
										  double lat, double lon,
										  double elevation_m, double tilt,
										  double azimuth, const float *elev,
										  int nsectors, double albedo,
										  sr_irradiation *out, sr_err *err);

/* The same and, in the same pass, the annual total of the plane under an
 * open horizon (the shading loss of surface_irradiation_hourly). */
sr_status	sr_plane_irradiation_hourly_shading(const sr_weather_rec *recs, int n,
												  double lat, double lon,
												  double elevation_m, double tilt,
												  double azimuth, const float *elev,
												  int nsectors, double albedo,
												  sr_irradiation *out,
												  double *open_annual, sr_err *err);

/* ---------- whole cadastre ---------- */

typedef struct sr_cadastre_opts
{
	double		radius_m;
	int			sectors;
	double		kwp_per_m2;
	double		performance_ratio;
	double		setback_m;
	double		min_usable_area_m2;
	double		flat_tilt_max;	/* faces below this tilt are flat roofs */
	double		flat_module_tilt;	/* modules on flat roofs, facing south */
	double		wall_tilt_min;	/* 3D faces at or above: walls, skipped */
	double		albedo;
	double		class_thresholds[3];	/* kWh/m2, ascending */
	int			viewpoints;		/* 1: face centroid; 5: centroid + 4 points
								 * half-way to the ring's quarter vertices,
								 * irradiation averaged */
	double		max_sky_distance_km;	/* farthest the sky's site may be */
	/* roofs resolved over their area (cadastre_sample.c) */
	int			sampling;		/* SR_SAMPLING_AREA or SR_SAMPLING_POINT */
	double		spacing_m;		/* sample grid spacing in the roof plane */
	int			max_samples;	/* a larger face gets a wider spacing */
	int			rays_per_sector;	/* skyline rays per horizon sector */
	int			sunny_class;	/* 0 low .. 3 excellent: sunny_area_m2 is
								 * the usable area whose PV irradiation
								 * reaches that class */
	int			faces;			/* city model rows: SR_FACES_ROOF, _WALL, _BOTH */
	int			pv_model;		/* SR_CADASTRE_PV_SYSTEM or _RATIO */
	sr_pv_system pv;			/* the system of the PV model (sr_pv.h) */
	sr_econ_opts econ;			/* economics, done by the glue when asked */
	double		terrain_radius_m;	/* terrain_sql's horizons (the glue) */
	double		terrain_grid_m;
	bool		terrain_curvature;
	double		tree_tau[12];	/* trees_sql's crowns (the glue) */
} sr_cadastre_opts;

/* Which surfaces of a city model are faces (option "faces"). */
#define SR_FACES_ROOF 0
#define SR_FACES_WALL 1
#define SR_FACES_BOTH 2

#define SR_CADASTRE_PV_SYSTEM 0	/* the PV model hour by hour (pv_sky.c) */
#define SR_CADASTRE_PV_RATIO 1	/* irradiation x kWp x performance_ratio */

/* The options of solar_cadastre (sr_options.h): names, ranges, defaults. */
extern const sr_optset sr_cadastre_optset;
extern const sr_optset sr_impact_optset;	/* solar_impact: the same specs */

void		sr_cadastre_opts_default(sr_cadastre_opts *o);
sr_status	sr_cadastre_opts_check(const sr_cadastre_opts *o, sr_err *err);

/* What solar_cadastre and solar_cadastre_cells hold for one row of
 * buildings_sql until they end (its geometry read and kept, the
 * obstacles, their index, the faces), in bytes: a row, and a point of its
 * geometry as sr_hold_row_bytes counts them (sr_geom.h).  Fitted on the
 * synthetic region of bench/cadastre.sh (docs/cadastre.md, "Memory"):
 * 851 bytes a 5-point rectangle, 3,100 a 33-point and 5,661 a 65-point
 * polygon (2D or 3D alike) in point mode, 917 a rectangle over its area
 * (the cells'): a line, 365 bytes a row and 80.2 a point.  The turn to
 * true north (sr_cadastre_turn) keeps a second copy of the coordinates,
 * 3 doubles a vertex in one palloc a building, which PostgreSQL's
 * allocator rounds to a power of two with a 16-byte header, plus 8 bytes a
 * row of pointers: a rectangle 120 -> 128 + 16 + 8 = 152 bytes, a 65-point
 * polygon 1,560 -> 2,048 + 16 + 8 = 2,072 (measured off the central
 * meridian against on it, the same region: +166 and +2,080), a line of
 * -42 bytes a row and 32.0 a point.  Rounded up, the row's term kept:
 * 370 and 80.2 + 32.0 = 112.2 -> 113. */
#define SR_CADASTRE_HOLD_ROW 370.0
#define SR_CADASTRE_HOLD_ROW_AREA 430.0
#define SR_CADASTRE_HOLD_POINT 113.0

/* The same for horizon_at (a row of obstacles_sql: the obstacle and its
 * grid, no face) and solar_impact (a row of buildings_sql or project_sql,
 * the two counted together: two cadastres prepared, the buildings' alone
 * and with the project), measured as solar_cadastre's on the same
 * buildings (docs/performance-cadastre.md, "Memory bound of the calls
 * holding their input"): horizon_at 806 bytes a rectangle and 5,598 a
 * 65-point polygon (a line: 322 bytes and 79.9 a point), solar_impact
 * 1,251 and 7,024 (668 bytes and 96.2 a point), rounded up.  horizon_at
 * turns its obstacles in place (no copy: unchanged); solar_impact keeps
 * the coordinates as read once, as solar_cadastre does: measured +205 and
 * +2,127 bytes a rectangle and a 65-point building (a line: +10 bytes a
 * row, +32.0 a point), so 678 -> 680 and 128.2 -> 129. */
#define SR_HORIZON_HOLD_ROW 330.0
#define SR_HORIZON_HOLD_POINT 80.0
#define SR_IMPACT_HOLD_ROW 680.0
#define SR_IMPACT_HOLD_POINT 129.0

/* A tree of solar_cadastre's trees_sql (option), held with the buildings
 * and counted with them: its row, its crown's 12-gon prism as an obstacle
 * and its grid, measured as the buildings' (555-561 bytes a tree between
 * two sizes, 472-545 above a call without trees), rounded up; a tree is a
 * point: no term a point. */
#define SR_TREE_HOLD_ROW 570.0

/* One building as given by the caller. */
typedef struct sr_building
{
	int64_t		id;
	sr_mpoly	geom;
	double		height;			/* NaN if missing */
	double		ground_z;		/* NaN if missing (0 for 2D footprints) */
	double		roof_z_max;		/* NaN if missing: absolute top (ridge) */
	double		roof_z_min;		/* NaN if missing: absolute eaves; a flat roof
								 * face (footprint, or a flat 3D polygon) is
								 * taken at the mean of roof_z_min and
								 * roof_z_max (or at roof_z_min alone) */
	int			obstacle_only;	/* 1: shades the others, gets no roof face */
	/* a row of a city model (buildings_sql with a surface_type column): its
	 * 3D polygons are obstacles as they are, and faces by their type */
	int			surface;
	int			surface_kind;	/* SR_SURF_* (sr_surface_kind) */
	/* the city object the surface belongs to (buildings_sql's optional
	 * object_id column), NULL when not given: the surfaces of one object
	 * bound one solid (party walls, sr_party_covers) */
	const char *object_id;
	/* the parent object of object_id (buildings_sql's optional parent_id
	 * column: city_object.parent_id, a BuildingPart's Building), NULL when
	 * not given: a project naming the parent replaces its parts
	 * (sr_impact_match) */
	const char *parent_id;
} sr_building;

/* The semantic type of a city model surface, for the cadastre. */
#define SR_SURF_UNKNOWN 0		/* NULL: a roof or a wall by its orientation */
#define SR_SURF_ROOF 1			/* RoofSurface */
#define SR_SURF_WALL 2			/* WallSurface */
#define SR_SURF_OTHER 3			/* any other type: an obstacle only */
int			sr_surface_kind(const char *semantic_type);

typedef struct sr_face_result
{
	int64_t		building_id;
	int			building;		/* index in the input */
	int			face;			/* 1-based polygon number in the geometry */
	double		tilt, azimuth, area_m2, usable_area_m2;
	double		annual_kwh_m2;
	double		monthly_kwh_m2[12];
	double		shading_loss_pct;
	double		pv_kwp, pv_kwh_year;
	int			potential_class;	/* 0 unsuitable, 1 low .. 4 excellent */
	/* area sampling (NaN and 1 sample in point mode) */
	double		sunny_area_m2;
	double		p10_kwh_m2, p50_kwh_m2, p90_kwh_m2;
	int			samples;
	double		pv_specific_yield;	/* kWh/kWp (first year), NaN when no PV */
} sr_face_result;

typedef struct sr_cadastre sr_cadastre;

/* The obstacles of a set of buildings, under one set of rules shared by
 * solar_cadastre and horizon_at: a 2D footprint rises to ground_z + height
 * (or between roof_z_min and roof_z_max when given), a 3D geometry to its
 * highest point, roof_z_max overrides the top; a 3D geometry of several
 * polygons is one obstacle per polygon.  first[i] is building i's first
 * obstacle, -1 when it is skipped: empty geometry (counted in empty) or a
 * 2D footprint without height (no_height). */
typedef struct sr_obstacle_set
{
	sr_obstacles obs;
	double	   *ztop,
			   *xy,
			   *z;				/* NULL without city model rows */
	unsigned char *is3d;
	int		   *ring_start,
			   *pt_start;
	int		   *first;
	int			no_height,
				empty;
} sr_obstacle_set;

sr_status	sr_obstacles_from_buildings(const sr_building *b, int n,
										sr_obstacle_set *out, sr_err *err);
void		sr_obstacle_set_free(sr_obstacle_set *s);

/* The sky must describe the buildings' place: its site within max_km of
 * (lat, lon), the buildings' centre (22023 otherwise, with both places). */
sr_status	sr_cadastre_check_sky_site(const sr_sky_hdr *sky, double lat, double lon,
									   double max_km, sr_err *err);

/* Each building that gets faces (not obstacle_only) is one row: its rows
 * are keyed by (id, face), so an id given to two such rows would make two
 * faces of one key (a join that repeats a building, several polygons of a
 * building given as rows).  SR_EINVAL names the first such id and its
 * count; obstacle-only rows may repeat an id.  query names the argument in
 * the message (buildings_sql). */
sr_status	sr_cadastre_check_unique_ids(const sr_building *b, int n, const char *query,
										 sr_err *err);

/* ---------- true north (cadastre_north.c) ----------
 *
 * A projected SRID's grid north is not true north away from its central
 * meridian: true azimuth = grid azimuth + gamma, gamma the meridian
 * convergence (deg; (lon - lon0) sin phi0 in a Lambert conformal conic:
 * +1.33 in Lyon, -5.43 in Brest in Lambert-93).  The sky is placed from true
 * north, so the cadastre turns the scene, not the sky: every point clockwise
 * by gamma about a centre (the box centre of the buildings), which becomes
 * the origin: a frame in which grid north is true north.  gamma 0 (SRID 0, the central meridian)
 * is the identity, bit for bit. */
typedef struct sr_north
{
	double		cx, cy;			/* centre of the turn (grid coordinates) */
	double		gamma;			/* deg, as given (sr_north_round first) */
	double		c, s;			/* cos and sin of gamma */
	int			turned;			/* 0: the identity */
} sr_north;

/* The convergence of the grid north (deg) from two points of one meridian
 * in the projected SRID, (xs, ys) south of (xn, yn): minus the grid azimuth
 * of the segment going north; NaN when the points coincide or are not
 * finite.  Not rounded. */
double		sr_north_convergence(double xs, double ys, double xn, double yn);
/* The convergence as every entry point uses it: rounded to 0.01 deg (the
 * half away from zero), so that the cadastre, horizon_at and roof_plane
 * agree for every point of a scene within one rounding step; -0 is 0. */
double		sr_north_round(double gamma);
void		sr_north_init(sr_north *f, double cx, double cy, double gamma);
/* A point of the grid into the turned frame (true north up, its origin at
 * the centre: local metres), and back; the identity when gamma is 0. */
void		sr_north_to_true(const sr_north *f, double *x, double *y);
void		sr_north_to_grid(const sr_north *f, double *x, double *y);
/* A vector (no centre) of the turned frame back to the grid. */
void		sr_north_vec_to_grid(const sr_north *f, double *vx, double *vy);
/* n points x y z (stride 3) into the turned frame, in place. */
void		sr_north_turn_xyz(const sr_north *f, double *xyz, int n);
/* The true azimuth (deg, [0, 360)) of a surface of grid azimuth az and
 * tilt (deg): az + gamma; a level surface (tilt 0 or 180) keeps its 180. */
double		sr_north_true_azimuth(double az, double tilt, double gamma);
/* Extend box (xmin, ymin, xmax, ymax; start from +inf, +inf, -inf, -inf)
 * by every point of the buildings' geometries. */
void		sr_buildings_box(const sr_building *b, int n, double box[4]);
/* Every building's geometry into the turned frame, in place. */
void		sr_buildings_turn(sr_building *b, int n, const sr_north *f);

/* Prepare: derive obstacles (footprint + top) from the buildings, build the
 * grid, list the roof faces.  Buildings with a missing height (2D
 * footprint) or an empty geometry are skipped and counted. */
sr_status	sr_cadastre_prepare(const sr_building *b, int n,
								const sr_cadastre_opts *o,
								const sr_sky_hdr *sky, sr_cadastre **out,
								sr_err *err);
int			sr_cadastre_nfaces(const sr_cadastre *c);
/* 1 when the PV model was asked for but the sky has no hourly weather (a
 * sky of version 2): the performance ratio is used instead. */
int			sr_cadastre_pv_fallback(const sr_cadastre *c);
/* The PV model's hours (0 without the model): with a buffer set, each
 * sr_cadastre_face of a face with PV fills it with the face's kWh/kWp in
 * each of them (NaN-free; zeros for a face without PV), ts as
 * sr_pv_prep_hours gives them. */
int			sr_cadastre_pv_hours(const sr_cadastre *c, double *ts);
void		sr_cadastre_set_hourly(sr_cadastre *c, double *buf);

/* Terrain and trees (sr_terrain.h): a grid of terrain horizons over the
 * faces (its nodes every step metres), raising every face's horizon; trees
 * as a second set of obstacles whose crowns let tau[month] of the light
 * through (the face's irradiation and PV blended between its horizon with
 * and without them). */
struct sr_dem;
struct sr_terrain_opts;
struct sr_tree;
sr_status	sr_cadastre_set_terrain(sr_cadastre *c, const struct sr_dem *dem, double step,
									const struct sr_terrain_opts *o, sr_err *err);
sr_status	sr_cadastre_set_trees(sr_cadastre *c, const struct sr_tree *t, int n,
								  const double tau[12], sr_err *err);
/* Buildings skipped: 2D without a height, empty or degenerate geometry,
 * 3D with every polygon steeper than wall_tilt_min (no roof face). */
int			sr_cadastre_skipped(const sr_cadastre *c, int *no_height,
								int *empty, int *walls);
/* The same counts row by row, without a cadastre: of the rows i of b
 * with which[i] set (which NULL: every row), sk[0] without a height, sk[1]
 * empty or degenerate, sk[2] with walls only; a cadastre prepared from those
 * rows alone gives the same counts (a skip is a row's own).  SR_ENOMEM. */
sr_status	sr_cadastre_rows_skipped(const sr_building *b, int n, const unsigned char *which,
									 const sr_cadastre_opts *o, int sk[3], sr_err *err);
void		sr_cadastre_center(const sr_cadastre *c, double *x, double *y);
/* Compute face i (0-based). */
void		sr_cadastre_face(sr_cadastre *c, int i, sr_face_result *r);
/* Faces i0 .. i0 + n - 1 into r[0 .. n), the same results as
 * sr_cadastre_face one by one: with sampling "area" and no hours asked
 * (sr_cadastre_set_hourly), the faces' samples run on nthreads threads
 * (sr_roofarea_faces); otherwise one by one on this thread. */
void		sr_cadastre_faces(sr_cadastre *c, int i0, int n, sr_face_result *r, int nthreads);
/* The same, and its horizon at each viewpoint into horizons (deg) when not
 * NULL: one block of viewpoints x sectors floats for a face, one per
 * exposed piece of a wall partly covered (largest first, at most
 * SR_PARTY_MAX_PIECES); sampling "area": the centroid's, sectors floats.
 * Returns the number of horizons (of sectors floats each) the face was
 * computed under, so at most SR_PARTY_MAX_PIECES x viewpoints: the size
 * horizons must have. */
int			sr_cadastre_face_h(sr_cadastre *c, int i, sr_face_result *r, float *horizons);
/* Face i's building (index), viewpoint and how far its outline reaches
 * from it (m, 2D). */
void		sr_cadastre_face_where(const sr_cadastre *c, int i, int *building,
								   double *x, double *y, double *reach);
/* sr_cadastre_prepare with a sky already prepared for
 * sr_horizon_columns(o->sectors) columns (kept by the caller, shared by
 * several cadastres: sr_cadastre_sky_prep's), or NULL to prepare one. */
sr_status	sr_cadastre_prepare_with(const sr_building *b, int n,
									 const sr_cadastre_opts *o, const sr_sky_hdr *sky,
									 sr_sky_prep *prep, sr_cadastre **out, sr_err *err);
sr_sky_prep *sr_cadastre_sky_prep(const sr_cadastre *c);
/* Whether roof faces are sampled over their area: sampling "area", and no
 * 3D polygon obstacle (the rows of a city model keep the point mode). */
bool		sr_cadastre_area_sampled(const sr_cadastre *c);
struct sr_roof_cell;
/* Face i as sr_cadastre_face, and its sample cells (sampling "area") into
 * *cells, grown with sr_realloc (*cap its capacity); returns their number
 * (0: a face at one point: a wall, a city model row, sampling "point"). */
int			sr_cadastre_face_cells(sr_cadastre *c, int i, sr_face_result *res,
								   struct sr_roof_cell **cells, int *cap);
/* Faces i0 .. i0 + n - 1 as sr_cadastre_faces, each with its cells as
 * sr_cadastre_face_cells: cells[k] (grown with sr_realloc, caps[k] its
 * capacity; NULL and 0 at first, kept from batch to batch), ncells[k]
 * their number. */
void		sr_cadastre_faces_cells(sr_cadastre *c, int i0, int n, sr_face_result *res,
									struct sr_roof_cell **cells, int *ncells, int *caps,
									int nthreads);

/* ---------- planned projects (cadastre_impact.c) ---------- */

/* One face whose horizon a project changes (before and after), one face of
 * an object the project replaces (replaced: after has no area, sun or PV),
 * or one roof of the project (after only). */
typedef struct sr_impact_row
{
	int			is_project;
	int			replaced;
	sr_face_result before;		/* existing faces */
	sr_face_result after;
} sr_impact_row;

typedef struct sr_impact sr_impact;

/* The effect of the project buildings p on the faces of the buildings b
 * (both under solar_cadastre's rules): only the faces within radius_m of a
 * project obstacle are computed, with and without it, and kept when their
 * horizon changes; then the project's own faces among everything.  A
 * project row whose object_id names an object of b replaces it: the rows
 * of b with that object_id, or with it as an ancestor (sr_impact_match:
 * the parts of a Building named), are not in the "after" scene, and each of their
 * faces is a row (replaced) with nothing after.  The results are those of
 * two full cadastres (b; and b without the rows replaced, then p) on the
 * same faces; SR_EINVAL when np > 0 and every project building is
 * skipped. */
sr_status	sr_impact_compute(const sr_building *b, int nb, const sr_building *p, int np,
							  const sr_cadastre_opts *o, const sr_sky_hdr *sky,
							  sr_impact **out, sr_err *err);
int			sr_impact_nrows(const sr_impact *im);
const sr_impact_row *sr_impact_get(const sr_impact *im, int i);
/* faces looked at (within the radius) and faces of the existing buildings */
void		sr_impact_counts(const sr_impact *im, int *considered, int *existing_faces);
/* rows of b replaced by the project (their object, or its parent, named by
 * a project row) */
int			sr_impact_replaced(const sr_impact *im);
/* How many distinct object_ids of the project name no object of b (new
 * buildings, or typos); the first of them in the project's order into
 * first[0..nfirst-1] (at most SR_IMPACT_UNMATCHED_LISTED, NULL past them;
 * the project's strings). */
#define SR_IMPACT_UNMATCHED_LISTED 3
int			sr_impact_unmatched(const sr_impact *im, const char **first, int nfirst);
/* Which rows of b the project p replaces (replaced[i], nb of them): a row
 * whose object_id, or one of its object's ancestors, is the object_id of a
 * project row. The ancestors: the row's parent_id, then the parent of that
 * object as any row of b gives it (object_id and parent_id), up to
 * SR_IMPACT_MAX_DEPTH levels (a cycle stops there): a project naming a
 * Building replaces its BuildingParts and their parts, even when the
 * Building has no row of its own. *nunmatched (may be NULL): the distinct
 * project object_ids that matched no row, the first nfirst of them in p's
 * order into first. SR_EINVAL when rows of b give one object two parents
 * (the first such object in byte order and its first two parents named;
 * p's parent_ids are not read). SR_ENOMEM. */
#define SR_IMPACT_MAX_DEPTH 16
sr_status	sr_impact_match(const sr_building *b, int nb, const sr_building *p, int np,
							unsigned char *replaced, int *nunmatched, const char **first,
							int nfirst, sr_err *err);
/* Buildings skipped as sr_cadastre_skipped counts them, of the existing
 * buildings (project 0) or of the project (1).  sr_impact_compute fails
 * (SR_EINVAL) when every project row is skipped for want of a height or a
 * geometry: the project would change nothing. */
void		sr_impact_skipped(const sr_impact *im, int project, int *no_height, int *empty,
							  int *walls);
/* Whether the project lies wholly below the buildings: its highest point
 * (the top of each row as the cadastre builds it: a 3D geometry's highest
 * vertex, a 2D footprint's ground_z (0 when NULL) + height or its
 * roof_z_min / roof_z_max) under the lowest point of every building (a 3D
 * geometry's lowest vertex, a footprint's ground_z, 0 when NULL) but the
 * rows the project replaces (their object_id named by a project row, as
 * sr_impact_compute leaves them out of the scene after).  Then it
 * shades no face, whatever the sky: a viewer above an obstacle sees it
 * below the horizon.  The two heights into *project_top, *buildings_bottom.
 * A 2D project without ground_z among buildings at their altitude (3D
 * footprints at 170 m in Lyon) is the usual cause. */
int			sr_impact_project_below(const sr_building *b, int nb, const sr_building *p, int np,
									double *project_top, double *buildings_bottom);
void		sr_impact_free(sr_impact *im);
void		sr_cadastre_free(sr_cadastre *c);

/* ---------- roofs resolved over their area (cadastre_sample.c) ----------
 *
 * Each face is sampled on a grid in its own plane (spacing_m, wider when
 * the face would get more than max_samples points); every sample gets its
 * own skyline, cast as rays at the centres of sectors x rays_per_sector
 * azimuth columns, and its own irradiation: the beam of each sun tested
 * against the ray of its column, the diffuse of each horizon sector under
 * the elevation whose view factor is the mean of its rays'.  The samples
 * of a tile of the face share one list of candidate obstacles and a lower
 * bound of their skylines; a sample first re-reads the obstacles that
 * shaped its neighbour's skyline. */

#define SR_SAMPLING_AREA 0
#define SR_SAMPLING_POINT 1

/* A roof face as sr_cadastre_prepare defined it. */
typedef struct sr_face_info
{
	int			b;				/* building index */
	int			poly;			/* polygon index in its geometry */
	double		tilt, azimuth;	/* deg */
	double		area3, area2, per2;
	double		x, y, z;		/* vertex centroid, on the plane */
	int			excl;			/* its own obstacle (-1: none) */
} sr_face_info;

/* Party walls: a city model's wall against another polygon of the model
 * (of any row, its own too) face to face (coplanar within this many metres,
 * normals opposite within 2 deg). The covered part, clipped in the wall's
 * plane, is taken out of its area, usable area, sun and PV: it is computed
 * on its exposed part. sr_cadastre_face_covered: the share of wall face i's
 * area so covered (0 for a roof); sr_cadastre_face_exposed: the area left
 * (m2; a roof's whole area). A wall at least SR_PARTY_WALL_SHARE covered is
 * a party wall: nothing exposed, no sun, no usable area, no PV. */
#define SR_PARTY_WALL_TOL_M 0.05
/* Which polygons may cover a wall face to face, by their city objects
 * (sr_building.object_id, NULL: not given). SR_PARTY_OTHER: both rows name
 * objects and they differ: the polygon is a face of another object's solid,
 * which lies in front of the wall, so it covers (a neighbour's wall given
 * alone covers as its whole solid would). SR_PARTY_SAME: one object: the
 * polygon covers only if a polygon of that object sharing one of its
 * vertices reaches in front of the wall (not the back of a wall of no
 * thickness, whatever other objects touch it). SR_PARTY_UNKNOWN: either
 * row names no object: the same test with the polygons of every row. */
#define SR_PARTY_UNKNOWN 0
#define SR_PARTY_SAME 1
#define SR_PARTY_OTHER 2
int			sr_party_objects(const sr_building *a, const sr_building *b);
#define SR_PARTY_WALL_SHARE 0.95
/* a wall split into more exposed pieces is computed on its largest ones */
#define SR_PARTY_MAX_PIECES 4
/* Test hook (unit tests only; the server never sets it): nonzero makes the
 * clipping of every covered wall fail as a GEOS error would, so that its
 * fallback runs: the covered share sampled at the centres of a 100 x 100
 * grid of the wall's box in its plane, the wall computed whole (its
 * viewpoints, its usable area's rule) with its area and usable area scaled
 * by the share exposed. */
extern int	sr_cadastre_test_clip_fails;
double		sr_cadastre_face_covered(const sr_cadastre *c, int i);
double		sr_cadastre_face_exposed(const sr_cadastre *c, int i);

void		sr_cadastre_face_info(const sr_cadastre *c, int i, sr_face_info *fi);
const sr_obstacles *sr_cadastre_obstacles(const sr_cadastre *c);
const sr_building *sr_cadastre_buildings(const sr_cadastre *c);

/* One sample cell of a face (sr_roofarea_face's optional output). */
typedef struct sr_roof_cell
{
	double		x, y, z;		/* where its skyline was cast */
	double		cx, cy, cz;		/* centre of its square */
	double		hu[3], hv[3];	/* half sides of the square, in the plane */
	double		area_m2;		/* its share of the face */
	double		usable_m2;		/* of it, beyond the setback */
	double		annual_kwh_m2;	/* the face's plane */
	double		pv_kwh_m2;		/* the PV plane (modules tilted south on
								 * flat roofs) */
	int			sunny;			/* pv_kwh_m2 reaches the sunny class */
} sr_roof_cell;

typedef struct sr_roofarea sr_roofarea;

/* Tables of the sky for rays and sectors, and the obstacles' index. */
sr_status	sr_roofarea_prepare(const sr_cadastre *c, const sr_cadastre_opts *o,
								const sr_sky_hdr *sky, sr_roofarea **out,
								sr_err *err);
void		sr_roofarea_free(sr_roofarea *ra);
/* The trees' factors over a face: a lattice of nodes in the horizontal
 * plane (x0 + i step, y0 + j step), each with the factor by which the
 * trees change the annual irradiation of the face's plane (f[2 (j nx + i)])
 * and of the PV plane (f[2 (j nx + i) + 1]) at the point of the face's
 * plane above it; a sample takes them interpolated bilinearly (clamped to
 * the lattice).  nx = 0: none. */
typedef struct sr_tree_lattice
{
	double		x0, y0, step;
	int			nx, ny;
	const float *f;
} sr_tree_lattice;

/* What the cadastre adds to a face's samples (sr_roofarea_face's adj):
 * the terrain's far horizon, the same at every sample of the face (a floor
 * on each ray's tangent), what the trees do (their factors on a lattice
 * over the face) and the PV model's yield at the face's centroid
 * (docs/cadastre.md). */
typedef struct sr_roofarea_adj
{
	const float *floor_tan;		/* [rays] tangent floor (NULL: none) */
	double		f_month[12];	/* the shape of the months: the monthly
								 * factors (the lattice's mean) */
	sr_tree_lattice trees;		/* the trees' factors over the face (nx = 0:
								 * no tree rises above its horizon) */
	double		yield_per_kwh;	/* kWh/kWp per kWh/m2 of PV-plane
								 * irradiation (the PV model at the centroid,
								 * or the performance ratio) */
} sr_roofarea_adj;

/* Face i over its area (adj NULL: no terrain, no trees, the performance
 * ratio).  cells: NULL, or a buffer the sampler grows with sr_realloc
 * (*ncells set; *cap its capacity). */
sr_status	sr_roofarea_face(sr_roofarea *ra, int i, sr_face_result *res,
							 sr_roof_cell **cells, int *ncells, int *cap,
							 const sr_roofarea_adj *adj, sr_err *err);
/* Faces faces[0 .. n) over their area, adj[k] each (not NULL), into
 * res[k], on nthreads threads (sr_parallel.h; the calling thread's share
 * included).  The threads never allocate: a face whose work buffers would
 * have to grow is computed again on the calling thread afterwards, with
 * the same result.  When an interrupt is pending (sr_interrupt_pending)
 * the threads leave the faces they hold, between two tiles of samples
 * (sr_parallel_checkpoint), and the calling thread checks for
 * interrupts (a cancel raises there, within a tile's time); if that
 * returns, the faces left and the remaining ones are computed. */
sr_status	sr_roofarea_faces(sr_roofarea *ra, int n, const int *faces,
							  const sr_roofarea_adj *adj, sr_face_result *res,
							  int nthreads, sr_err *err);
/* The same with each face's cells: cells[k] a buffer of caps[k] cells
 * (NULL and 0 at first; grown with sr_realloc, before the threads run to a
 * size most faces fit in), ncells[k] set. */
sr_status	sr_roofarea_faces_cells(sr_roofarea *ra, int n, const int *faces,
									const sr_roofarea_adj *adj, sr_face_result *res,
									sr_roof_cell **cells, int *ncells, int *caps,
									int nthreads, sr_err *err);
/* The same, for a point given by its 3D position among the cadastre's
 * obstacles (exclude: an obstacle index or -1), on a plane: the skyline's
 * rays (tangents, sectors x rays_per_sector), the annual irradiation of
 * the plane (Wh/m2) and, when monthly is not NULL, its months. */
double		sr_roofarea_point(sr_roofarea *ra, double x, double y, double z,
							  int exclude, double tilt, double azimuth,
							  float *rays, double *monthly);
/* The sampler's sharing of work (cadastre_sample.c): the side of the
 * square tiles whose samples share one obstacle search (m; default 24);
 * the distance within which a sample casts the walls itself (m; default
 * 40; 0: every wall from every sample, no far skyline) and the spacing of
 * the anchors the far skyline is cast from and interpolated between (m;
 * default 10).  For tests and benches. */
void		sr_roofarea_tune(sr_roofarea *ra, double tile_m, double near_m, double anchor_m);
/* The sampler's smooth cells (cadastre_sample.c, face_adapt): where the
 * lattice samples of a block of block x block cells agree with the
 * bilinear interpolation of its corners within tol (relative), the derived
 * samples of its lattice cells are interpolated instead of cast; block 0
 * casts every sample (defaults 6 and 0.01, which sr_roofarea_tune
 * restores; only with the far skyline, near_m > 0).  For tests and
 * benches. */
void		sr_roofarea_adaptive(sr_roofarea *ra, int block, double tol);
/* The shared far field (cadastre_sample.c): the walls at least dist_m
 * from a node of a lattice every spacing_m cast once per node for every
 * face around it (spacing 0: off; defaults 35 and 110 m); drops the nodes
 * computed so far */
void		sr_roofarea_far(sr_roofarea *ra, double spacing_m, double dist_m);
/* The cadastre's sampler (NULL in point mode). */
sr_roofarea *sr_cadastre_roofarea(const sr_cadastre *c);
/* Rays of the skyline and their azimuths (deg). */
int			sr_roofarea_nrays(const sr_roofarea *ra);
double		sr_roofarea_ray_azimuth(const sr_roofarea *ra, int j);

#endif							/* SR_CADASTRE_H */
