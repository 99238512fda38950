/*
 * cadastre_sample.c — roofs resolved over their area (issue 18): every roof
 * face sampled on a grid in its own plane, every sample with its own
 * skyline and irradiation, and per face the area-weighted mean, the
 * percentiles, the sunny area and the PV sized on it.
 *
 * Skyline.  With N sectors and m rays per sector, the skyline of a point
 * is cast as N m rays at the centres of equal azimuth columns (ray j
 * centred on (j + 1/2) d - w/2, d = 360 / (N m), w = 360 / N: sector k
 * holds rays k m .. k m + m - 1).  Obstacles are the cadastre's prisms
 * (sr_obstacles_from_buildings).  A prism's wall edge A-B, seen from the
 * point, is hit by the rays between the directions of A and B; ray u hits
 * its line at distance s = (a x d) / (u x d) (a = A - p, d = B - A), so
 * the tangent of the wall top there is tz (u x d) / (a x d): linear in the
 * ray's direction, one multiply-add per ray.  A hit beyond radius_m does
 * not count.  This is the elevation in the ray's own direction (not the
 * highest point of a sector): no systematic bias.
 *
 * Shared work.  The samples of a tile (a square of the face, tile_m on a
 * side) share one search of the obstacle grid, made for the whole tile: an
 * obstacle is kept unless even its best case over the tile (its box
 * nearest the tile's disc, its top over the tile's lowest sample) stays
 * under a lower bound of the skyline valid at every sample of the tile.
 * That lower bound comes from the obstacles kept so far: a wall seen from
 * the disc's centre c at distance s along ray u is seen from any sample
 * p (|p - c| <= rho) along the same ray at most rho / sin(phi) farther
 * (phi: the angle between the ray and the wall), when the hit stays on
 * the wall, so tz_lo / (s + rho / sin(phi)) bounds the skyline from below
 * there.  A sample starts from that bound, re-reads first the obstacles
 * that raised its neighbour's skyline (the previous sample of the tile),
 * then takes the other candidates only where their best case over the
 * tile rises above its own running skyline (sector minima).  Each
 * candidate is kept or dropped on bounds only, so an exact sample's skyline
 * is the exact ray cast against all obstacles within the radius.
 *
 * Far skyline.  With near_m > 0 (the default, RA_NEAR_M), the walls at
 * least near_m from every sample of a tile are cast from anchors only
 * (every anchor_m over the tile's box in the face's plane), and a
 * sample's skyline starts from the anchors' interpolated bilinearly around
 * it (tile_far, tile_seed); the near walls are cast from every sample as
 * above.  A far wall's tangent tz / s is convex in the sample's position:
 * the interpolation overestimates it by at most (anchor / near)^2 / 4 of
 * its value; where a far wall ends, its end is spread over the rays it
 * crosses between anchors.  test_roofarea.c checks the result against
 * every wall cast from every sample at 300 m (means within 0.2 %).
 *
 * Shared far field.  With ra->f2_m > 0 (the default, RA_FAR2_M), the walls
 * at least f2_d from a node of a lattice every f2_m over the region are
 * cast from those nodes only, once for all the faces around them (whatever
 * their heights: a node keeps, per ray, the walls holding its skyline at
 * RA_FAR2_K heights, each a line tan = (h - z) / s in the height z), and a
 * tile's anchors start from their cell's nodes interpolated bilinearly,
 * then cast the walls nearer than f2_d + f2_m sqrt 2 only (the tile's
 * search stops there); off where the faces' order would compute its nodes
 * too often (far_order_ok).  See "The shared far field" below.
 *
 * Derived samples.  Only the samples of a lattice (every ra->lat = 2
 * cells) and those without four lattice samples around them are exact;
 * the others (three in four inside a face) start from their tile's far
 * skyline (with near_m > 0) and are cast against the walls that hold the
 * skylines of the four lattice samples around them.  A wall that
 * holds none of the four corners' skylines but would rise at the sample
 * between them is missed: on the 12 Lyon roofs of test_roofarea.c the
 * means agree with all-exact sampling (RA_TUNE, RA_LAT=1) within 0.01 %.
 *
 * Smooth cells (face_adapt).  Where the roof's irradiation is smooth, the
 * derived samples are not cast at all: after the lattice samples, every
 * block of ra->ablock x ra->ablock cells (6: 4 x 4 lattice samples) whose
 * lattice samples lie within ra->atol (1 %) of the bilinear interpolation
 * of its corners, on both planes, and on one side of the sunny threshold
 * marks its lattice cells smooth; the derived samples of a smooth lattice
 * cell take the bilinear interpolation of its own four corners (two cells
 * apart: a smooth field's error there is about (2 / 6)^2 of the tested
 * one).  They skip their skyline and their irradiation; their weights in
 * the months go to those corners (each cast lattice sample keeps its
 * terms), so the months stay the mean of the cells' values.  A lattice
 * cell a shadow's edge crosses is never smooth, so face_refine sees cast
 * values there.  On the C harness's scenes (test_roofarea.c,
 * test_adaptive) the faces' means move by at most 0.05 % against every
 * sample cast, percentiles and months by under 1 %, sunny areas not at
 * all; sr_roofarea_adaptive(ra, 0, 0) casts every sample as before.
 *
 * 3D polygons (a city model's surfaces, seen as they are): each edge A-B
 * has its own heights, zA at A and zA + dz at B; ray u hits it at
 * lambda = (a x u) / (u x d) along it, so the tangent there is
 * (tz (u x d) + dz (a x u)) / (a x d): still linear in the ray's
 * direction (rays_raise's sloping case).  Both sides of a 3D polygon are
 * seen; its lower bounds take each edge's lower end.
 *
 * Not handled here: the terrain's far horizon comes in as a floor
 * under every ray (sr_roofarea_adj.floor_tan), the trees and the PV model
 * as factors taken at the face's centroid (cadastre_run.c, area_face).
 *
 * Irradiation.  For a face's plane (and, on flat roofs, the plane of the
 * south-tilted modules) the sky is laid out once: the suns of every ray
 * column sorted by elevation with the cumulative beam on the plane
 * (max(0, cos) each), and per sector and Reinhart patch row the diffuse
 * above an elevation lo in closed form, C + A cos^2(lo)/2 + B (pi/4 - lo/2
 * - sin(2 lo)/4), exact within a row (cadastre_irradiation.c's integrals).
 * A sample's beam is the sum over ray columns of the suns above its ray
 * (a count table and a scan of the few suns in the last bin); its diffuse
 * is, per sector, the closed form at the elevation h_eq whose view factor
 * cos^2(h_eq) is the mean of the sector's rays' cos^2 (exact for a uniform
 * radiance over the sector), floored where the plane turns its back
 * (as the kernel does at a sector's centre).  Ground reflection is
 * albedo GHI (1 - cos tilt) / 2.  Months: per face, the samples' sector
 * rows and h_eq terms and their per-column sun counts are accumulated,
 * then combined once with the monthly tables.
 *
 * Sunny area.  Each usable sub-sample (4 x 4 per cell) takes the PV-plane
 * irradiation interpolated bilinearly between the cell centres around it
 * (sunny_fine): a shadow's edge cuts a cell where the irradiation crosses
 * the threshold, not at a cell's side.  The cells where it crosses (a
 * neighbour on the other side of the threshold) get 2 x 2 exact
 * sub-samples of their own, between which their sub-samples are
 * interpolated instead (face_refine): the edge at half the spacing.
 */
#include "sr_cadastre.h"
#include "cadastre_rows.h"
#include "cadastre_box.h"
#include "sr_parallel.h"

#include <float.h>
#include <limits.h>
#include <time.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RA_BOX_CELLS 4.0			/* a face's grid: at most this many
										 * times max_samples cells over its
										 * outline's box (box_spacing) */
#define RA_K 4					/* sub-samples per cell side (areas,
								 * setbacks) */
#define RA_NPLANES 4			/* planes kept ready per worker (flat roofs
								 * and their modules share theirs) */
#define RA_TILE_M 24.0			/* tiles sharing one obstacle search (m) */
#define RA_NEAR_M 40.0			/* walls cast from every sample within (m) */
#define RA_ANCHOR_M 10.0			/* the far skyline's anchors (m) */
#define RA_ABLOCK 6				/* smooth cells: blocks' side (cells; 0: every
								 * sample cast) */
#define RA_ATOL 0.01			/* their tolerance (relative) */
#define RA_FAR2_M 35.0			/* shared far field: its nodes' spacing (m;
								 * 0: off) */
#define RA_FAR2_D 110.0			/* the walls it holds: at least this far
								 * from a node (m) */
#define RA_SQRT2 1.4142135623730951
#ifndef RA_FAR2_K
#define RA_FAR2_K 3				/* heights per node */
#endif
#ifndef RA_FAR2_CAP
#define RA_FAR2_CAP 2048		/* nodes kept (8.6 kB each; then all dropped
								 * but a batch's) */
#endif
#ifndef RA_FAR2_B
#define RA_FAR2_B 3				/* nodes per side of a block sharing a search */
#endif
#define NR SR_SKY_NROWS
#define NC 36
#define RA_DBIN 2048			/* bins of the diamond angle per quadrant
								 * (edge_span: 0.05 deg at most) */

/* 4 floats / ints (GCC vector extension: one SSE register) */
#define RA_VL 4
typedef float ra_vf __attribute__((vector_size(16)));
typedef int ra_vi __attribute__((vector_size(16)));

/* lane by lane: m ? a : b, and the square root */
static inline ra_vf
vsel(ra_vi m, ra_vf a, ra_vf b)
{
	return (ra_vf) (((ra_vi) a & m) | ((ra_vi) b & ~m));
}

/* the lanes of a mask (all ones or zero each) as bits */
static inline unsigned
lane_mask(ra_vi m)
{
#ifdef __SSE__
	return (unsigned) __builtin_ia32_movmskps((ra_vf) m);
#else
	return (m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8);
#endif
}

static inline ra_vf
vsqrt(ra_vf x)
{
#ifdef __SSE__
	return __builtin_ia32_sqrtps(x);	/* (correctly rounded, as sqrtf) */
#else
	ra_vf		r;

	for (int l = 0; l < RA_VL; l++)
		r[l] = __builtin_sqrtf(x[l]);
	return r;
#endif
}

#ifdef RA_STATS
long		ra_st[8];

#define ST(i, v) (ra_st[i] += (v))
#else
#define ST(i, v) ((void) 0)
#endif

/* ---------- small maths ---------- */

/* atan of z in [0, 1]: |error| < 6e-9 rad (least-squares fit in z^2 on
 * Chebyshev nodes, checked every 5e-6) */
static inline double
atan01(double z)
{
	double		z2 = z * z;

	return z * (0.9999998863703059 + z2 * (-0.33332596904433637 + z2 * (0.1998590479113195 +
			z2 * (-0.14161216247656375 + z2 * (0.10498902295614397 + z2 * (-0.072347742644846391 +
			z2 * (0.03978032930157524 + z2 * (-0.014400848358046323 + z2 * 0.0024566051365158409))))))));
}

/* Azimuth of (x east, y north), clockwise from north, in [0, 2 pi). */
static inline double
azimuth_of(double x, double y)
{
	double		ax = fabs(x), ay = fabs(y);
	double		r;

	if (ax <= ay)
		r = ay > 0 ? atan01(ax / ay) : 0.0;
	else
		r = SR_PI / 2 - atan01(ay / ax);
	if (y < 0)
		r = SR_PI - r;
	if (x < 0)
		r = 2 * SR_PI - r;
	return r >= 2 * SR_PI ? r - 2 * SR_PI : r;
}

/* atan of t >= 0 (rad) in floats, lane by lane, |error| < 1e-5 rad, without
 * branches */
static inline ra_vf
atan_v(ra_vf t)
{
	const ra_vf tiny = {1e-30f, 1e-30f, 1e-30f, 1e-30f};
	ra_vi		inv = t > 1.0f;
	ra_vf		z = vsel(inv, 1.0f / vsel(t > 1e-30f, t, tiny), t), z2 = z * z, r;

	r = z * (0.99997726f + z2 * (-0.33262347f + z2 * (0.19354346f +
			z2 * (-0.11643287f + z2 * (0.05265332f + z2 * -0.01172120f)))));
	return vsel(inv, (float) (SR_PI / 2) - r, r);
}


/* Set in the threads of sr_roofarea_faces: they must not allocate (the
 * server's allocator is not thread-safe), so a buffer that would grow
 * fails instead and the face is computed again by the calling thread. */
static __thread int ra_noalloc;

/* sr_realloc, or NULL in a thread that must not allocate */
static void *
ra_realloc(void *p, size_t size)
{
	return ra_noalloc ? NULL : sr_realloc(p, size);
}

/* Grow a buffer to hold n elements of size sz. */
static int
grow(void **buf, int *cap, int n, size_t sz)
{
	int			c;
	void	   *nb;

	if (n <= *cap)
		return 1;
	if (ra_noalloc)
		return 0;
	c = n + n / 2 + 16;
	nb = sr_realloc(*buf, sz * c);
	if (!nb)
		return 0;
	*buf = nb;
	*cap = c;
	return 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* ---------- the sky laid out for rays and sectors ---------- */

typedef struct ra_sky
{
	int			ns, m, nf;		/* sectors, rays per sector, rays */
	int			nc, kc;			/* diffuse columns (below RA_NARROW_SECTORS
								 * sectors, narrow: sr_horizon_columns_below) and
								 * columns a sector (odd) */
	int			nfv;			/* nf rounded up to RA_VL */
	float	   *ux, *uy;		/* [nfv] ray directions (east, north); the
								 * padding (0, 0) is never hit */
	double		fscale, fofs;	/* ray position of an azimuth (rad):
								 * az fscale + fofs, ray j at j */
	int			nsun;
	int		   *cs;				/* [nf + 1] suns of ray column j */
	float	   *stan;			/* their elevations' tangents, decreasing */
	float	   *sbx, *sby, *sbz;	/* en sin e, en cos e cos a, en cos e
									 * sin a (Wh/m2) */
	uint8_t    *smon;
	double	   *w, *above;		/* [nc][NR][NC] radiance x azimuth weights
								 * and the diffuse above the row's top
								 * (cadastre_irradiation.c's integrals) */
	float		inv_alpha_rad;	/* patch rows per radian */
	int16_t	   *dlo, *dhi;		/* [4 RA_DBIN] per bin of the diamond angle
								 * (dir_bin): the rays a direction in it may
								 * lie between, one bin of margin each side */
	double		row_top[NR];	/* deg */
	double		gtop[NR][2];	/* gc and gs at each row's top (g_top) */
	double		m_ghi[12], a_ghi;
} ra_sky;

/* A plane's tables */
typedef struct ra_plane
{
	double		tilt, az;
	long		stamp;
	int			ready;
	double		k0, k1, k2;
	float	   *C, *A, *B;		/* [nc][NR] annual diffuse above lo in row r:
								 * C + A gc(lo) + B gs(lo) */
	float	   *e0t;			/* [nc] tan of the back cut at the column's
								 * centre (0: the plane faces it) */
	int		   *e0r;			/* at the cut: row, gc, gs and the value */
	float	   *e0gc, *e0gs, *e0d;
	float	   *cumb;			/* [nsun + nf] beam of the top c suns */
	double	   *vq;				/* [nsun] each sun's beam on the plane (cos
								 * x its energy; <= 0: behind it) */
	double		dopen, bopen, ground_a, ground_m[12];
} ra_plane;

/* ---------- the obstacles' grid ---------- */

typedef struct ra_index
{
	const sr_obstacles *obs;
	double	   *bb;				/* [4 n] */
	signed char *side;			/* per ring: the side of its walls where the
								 * footprint lies (1 left, -1 right); 0 when
								 * the ring is not simple */
	uint8_t    *multi;			/* listed in several cells */
	double		x0, y0, cs;
	int			nx, ny;
	int		   *cell_start, *items;
	double	   *cell_bb, *cell_ztop;
	double		zmax;
} ra_index;

/* A candidate obstacle of a tile */
typedef struct ra_cand
{
	int			o;
	float		d;				/* distance from the tile's centre */
} ra_cand;

/* A wall of a candidate that may show above the tile's lower bound */
typedef struct ra_edge
{
	double		ax, ay;			/* one end */
	float		dx, dy;			/* to the other */
	float		ztop;			/* top at the first end, relative to the
								 * face's origin */
	float		dz;				/* to the top at the other end (0: a prism's
								 * wall; a 3D polygon's edge slopes) */
	float		ub;				/* best tangent over the tile (+inf: near) */
	float		dn;				/* its distance from the tile's centre */
	int			b0, b1;			/* blocks of RA_VL rays it may be hit by from the
								 * tile (b1 may pass the last: wraps) */
	int			k0, k1;			/* their sectors (k0 < 0: any) */
	signed char side;			/* the footprint's side (0: none) */
	uint8_t		active;			/* held the previous sample's skyline */
	int			q;				/* its first point in the obstacles */
	int			fid;			/* its number in the face's table (-1:
								 * none yet) */
} ra_edge;

/* One sample of a face */
typedef struct ra_samp
{
	double		x, y, z;
	double		u, v;			/* plane coordinates of the cell centre */
	double		w, wu;			/* area, usable area (m2) */
	int			ci, cj;			/* its cell */
	int			w0, nw;			/* lattice samples: their walls in wk->wl */
	int			sub;			/* a sunny edge's cell: its first of 4
								 * sub-samples (face_refine), else -1 */
	double		irr, pv;		/* annual roof plane, PV plane (Wh/m2) */
	uint8_t		mode;			/* 0 pending, 1 cast, 2 interpolated */
	int			sl;				/* a cast lattice sample's stored terms
								 * (smooth cells; -1: none) */
} ra_samp;

/* What one thread needs to compute faces */
typedef struct ra_work
{
	ra_plane	pl[RA_NPLANES];
	long		stamp;
	ra_samp    *samp;
	int			samp_cap;
	uint8_t    *fine;			/* sub-samples: 1 inside, 2 in the setback */
	size_t		fine_cap;
	double	   *cross;
	int			cross_cap;
	ra_cand    *cand;
	int			cand_cap;
	ra_edge    *edge;
	int			edge_cap;
	float	   *lb, *t;			/* [nf] */
	float	   *lbs;			/* [nfv] the bound's slopes in z (the shared
								 * far field's nodes, block_compute) */
	float	   *far;			/* [anchors][nfv]: the far skyline at the
								 * anchors of the face's tiles */
	int			far_cap, nfar;
	double	   *tbox;			/* [6] per tile group: its anchors' box */
	int		   *toff;			/* per tile group: its first anchor's
								 * skyline in far */
	int		   *tgrp;			/* per tile of the face: its group */
	int			tbox_cap, toff_cap, tgrp_cap, tc, ntu;
	int		   *win;			/* [nf] the wall holding each ray (-1: the
								 * lower bound) */
	int		   *runs;			/* [nf] the wall holding each run of rays of
								 * win, in the rays' order (sample_skyline) */
	int			nruns;
	float	   *smin;			/* [ns] */
	/* per sector: h_eq's tangent, row, gc and gs */
	float	   *teq, *gcs, *gss;
	int		   *rows;
	/* per ray column: suns above the ray, the tangents bracketing the ray
	 * for that count, and the weight summed when it was set */
	int		   *cnt;
	float	   *tlo, *thi;
	double	   *wset;
	double		wtot;			/* weights of the face's samples so far */
	double		beam[2];		/* beam of the current counts, 2 planes */
	double	   *acc;			/* [ns][NR][3] weight, w gc, w gs */
	double	   *hist;			/* [nsun + nf] weight per column and count */
	double	   *vals;
	int			vals_cap;
	/* the face's cells (sample index or -1), and the walls that hold the
	 * exact samples' skylines: a table of the face, a hash of their first
	 * points, the lists of each exact sample */
	int		   *cell;
	int			cell_cap, nu, nv;
	int		   *ord;			/* the order of the samples (face_order) */
	int			ord_cap, nex;
	int		   *tb;				/* group boundaries in ord */
	int			tb_cap, ntb, nlb;
	uint8_t    *dflag;			/* per cell: a derived sample */
	int			dflag_cap;
	ra_edge    *fe;
	int			fe_cap, nfe;
	int		   *fh;				/* [fh_cap] face edge numbers, -1 empty */
	int			fh_cap;
	int		   *wl;
	int			wl_cap, nwl;
	int		   *seen;			/* stamp per face edge */
	int			seen_cap, stamp_seen;
	const float *floor_tan;		/* the terrain's rays (NULL: none) */
	/* the face's grid: its origin in plane coordinates, spacing, sub-samples
	 * inside (fine_in; 0: one sample of a face thinner than them) */
	double		gu0, gv0, gsp;
	int			fine_in;
	/* smooth cells (face_adapt): the stored terms of the cast lattice
	 * samples (per slot: ns rows, gc and gs, nf counts, the weight their
	 * interpolated neighbours add: ~1.4 kB), the smooth lattice cells */
	uint8_t    *tr;
	float	   *tgc, *tgs;
	uint16_t   *tcnt;
	double	   *tew;
	int			tr_cap, tgc_cap, tgs_cap, tcnt_cap, tew_cap, nts;
	double	   *trun;			/* [nf] terms_add's running weights */
	int			tslot;			/* the slot accumulate fills with the rows,
								 * gc and gs of the sample it adds (-1:
								 * none; terms_reserve) */
	uint8_t    *smooth;			/* per lattice cell */
	int			smooth_cap;
	double		thr;			/* the sunny threshold (PV plane, Wh/m2) */
	int			f2ok, f2r[4];	/* the face's nodes (face_nodes) */
} ra_work;

/* The shared far field's nodes (one store for every thread: filled on the
 * calling thread, or by the threads before the faces run, each block by
 * one; read by all): a hash of their lattice indices, their skylines
 * [K][2][nfv] (the tangents at each height, the holding wall's 1 / s) */
typedef struct ra_store
{
	int		   *nh;				/* [nh_cap] node numbers, -1 empty */
	int			nh_cap;
	int		   *nkey;			/* [2 per node] */
	uint8_t    *ready;			/* [per node] computed */
	float	   *nval;
	int			nnode, nnode_cap;
	int		   *pend;			/* blocks reserved, not computed yet: bi, bj,
								 * first node */
	int			npend, pend_cap;
} ra_store;

struct sr_roofarea
{
	const sr_cadastre *c;
	sr_cadastre_opts o;
	ra_sky		sky;
	ra_index	ix;
	double		tile_m;
	double		near_m;			/* walls nearer than this from a tile's
								 * samples are cast from each sample, the
								 * others from its corners (0: all from
								 * each sample) */
	double		anchor_m;		/* spacing of the far skyline's anchors */
	int			lat;			/* exact samples every lat cells (1: all) */
	int			ablock;			/* smooth cells: blocks' side (cells; 0: off) */
	double		atol;			/* and tolerance (relative) */
	double		f2_m, f2_d;		/* the shared far field: nodes' spacing (0:
								 * off), its walls' distance */
	double		f2_z0, f2_dz;	/* its heights: f2_z0 + k f2_dz, k < RA_FAR2_K */
	ra_store   *nst;			/* its nodes */
	ra_work		w;
	ra_work    *wx;				/* the other threads' (sr_roofarea_faces) */
	int			nwx;
};

static void
sky_free(ra_sky *s)
{
	sr_free(s->ux);
	sr_free(s->uy);
	sr_free(s->cs);
	sr_free(s->stan);
	sr_free(s->sbx);
	sr_free(s->sby);
	sr_free(s->sbz);
	sr_free(s->smon);
	sr_free(s->w);
	sr_free(s->above);
	sr_free(s->dlo);
	sr_free(s->dhi);
}

/* The columns of the diffuse for ns sectors: the sectors themselves from
 * 72 on; below, the smallest odd multiple of ns that is at least 72, kc
 * columns a sector centred in it (each takes its sector's skyline terms:
 * sample_sectors).  The cut where a tilted plane turns its back is taken
 * at each column's centre, which on wide sectors misses light under an
 * open sky: a 35 deg plane facing south lost 1.35 % of its year with 4
 * sectors, 0.34 % with 8, 0.017 % with 36 (0.004 % with 72).  A bound of
 * 72, not the 36 of sr_horizon_columns (the point kernel's cut, finer, is
 * within 0.01 % at 36): 36 sectors on 108 columns. */
#define RA_NARROW_SECTORS 72

typedef struct ra_sun
{
	double		el;
	int			col;
	double		bx, by, bz;
	int			mon;
} ra_sun;

static int
cmp_ra_sun(const void *a, const void *b)
{
	const ra_sun *x = a, *y = b;

	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->el != y->el)
		return x->el > y->el ? -1 : 1;
	return 0;
}

/* Ray position of an azimuth (rad): ray j's centre at j. */
static inline double
ray_pos(const ra_sky *s, double az)
{
	return az * s->fscale + s->fofs;
}

/* The azimuth (rad) of a diamond angle d (dir_bin), continued outside
 * [0, 4) */
static double
diamond_az(double d)
{
	double		q = floor(d), r = d - q;

	return q * (SR_PI / 2) + atan2(r, 1.0 - r);
}

static sr_status
sky_build(ra_sky *s, const sr_sky_hdr *sky, int ns, int m, sr_err *err)
{
	const double *az = sr_sky_az(sky), *el = sr_sky_el(sky), *en = sr_sky_en(sky);
	const uint8_t *mon = sr_sky_month(sky);
	const float *rad = sr_sky_rad(sky);
	int			n = sky->n_sun, nf = ns * m, nc = sr_horizon_columns_below(ns, RA_NARROW_SECTORS), i, j, k, r;
	double		w = 2.0 * SR_PI / ns, d = w / m, wc = 2.0 * SR_PI / nc;
	ra_sun	   *su;

	memset(s, 0, sizeof(*s));
	s->ns = ns;
	s->m = m;
	s->nf = nf;
	s->nc = nc;
	s->kc = nc / ns;
	s->nsun = n;
	s->fscale = 1.0 / d;
	s->fofs = 0.5 * (m - 1);
	s->nfv = (nf + RA_VL - 1) / RA_VL * RA_VL;
	s->ux = sr_alloc0(sizeof(float) * (s->nfv + RA_VL));
	s->uy = sr_alloc0(sizeof(float) * (s->nfv + RA_VL));
	s->cs = sr_alloc0(sizeof(int) * (nf + 1));
	s->stan = sr_alloc(sizeof(float) * (n + 1));
	s->sbx = sr_alloc(sizeof(float) * (n + 1));
	s->sby = sr_alloc(sizeof(float) * (n + 1));
	s->sbz = sr_alloc(sizeof(float) * (n + 1));
	s->smon = sr_alloc(n + 1);
	s->w = sr_alloc0(sizeof(double) * (size_t) nc * NR * NC);
	s->above = sr_alloc0(sizeof(double) * (size_t) nc * NR * NC);
	s->dlo = sr_alloc(sizeof(int16_t) * 4 * RA_DBIN);
	s->dhi = sr_alloc(sizeof(int16_t) * 4 * RA_DBIN);
	su = sr_alloc(sizeof(ra_sun) * (n + 1));
	if (!s->ux || !s->uy || !s->cs || !s->stan || !s->sbx || !s->sby || !s->sbz ||
		!s->smon || !s->w || !s->above || !s->dlo || !s->dhi || !su)
	{
		sr_free(su);
		sky_free(s);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (j = 0; j < nf; j++)
	{
		double		a = (j + 0.5) * d - 0.5 * w;

		s->ux[j] = (float) sin(a);
		s->uy[j] = (float) cos(a);
	}
	/* the rays of each bin of the diamond angle, from the start of the bin
	 * before it to the end of the bin after it (the azimuth continued past
	 * 0 and 2 pi: j0 may be negative, j1 past nf) */
	for (i = 0; i < 4 * RA_DBIN; i++)
	{
		s->dlo[i] = (int16_t) floor(ray_pos(s, diamond_az((double) (i - 1) / RA_DBIN)));
		s->dhi[i] = (int16_t) ceil(ray_pos(s, diamond_az((double) (i + 2) / RA_DBIN)));
	}
	/* suns by ray column, highest first */
	for (i = 0; i < n; i++)
	{
		double		e = el[i] * SR_DEG2RAD, a = az[i] * SR_DEG2RAD;
		double		a2 = fmod(fmod(a, 2 * SR_PI) + 2 * SR_PI, 2 * SR_PI);
		int			col = (int) floor(ray_pos(s, a2) + 0.5);

		col = ((col % nf) + nf) % nf;
		su[i].el = el[i];
		su[i].col = col;
		su[i].bx = en[i] * sin(e);
		su[i].by = en[i] * cos(e) * cos(a);
		su[i].bz = en[i] * cos(e) * sin(a);
		su[i].mon = mon[i];
	}
	qsort(su, n, sizeof(ra_sun), cmp_ra_sun);
	for (i = 0; i < n; i++)
	{
		s->cs[su[i].col + 1]++;
		s->stan[i] = (float) tan(su[i].el * SR_DEG2RAD);
		s->sbx[i] = (float) su[i].bx;
		s->sby[i] = (float) su[i].by;
		s->sbz[i] = (float) su[i].bz;
		s->smon[i] = (uint8_t) su[i].mon;
	}
	sr_free(su);
	for (j = 0; j < nf; j++)
		s->cs[j + 1] += s->cs[j];

	/* diffuse: per column and patch row, the radiance x azimuth-overlap
	 * weights and their integrals (as cadastre_irradiation.c), on the
	 * narrow columns of sr_horizon_columns_below */
	s->inv_alpha_rad = (float) ((7 * SR_SKY_MF + 0.5) / 90.0 * SR_RAD2DEG);
	for (r = 0; r < NR; r++)
		s->row_top[r] = sr_sky_row_bottom(r + 1);
	for (r = 0; r < NR; r++)
	{
		s->gtop[r][0] = r >= NR - 1 ? 0.0 : sr_gc(s->row_top[r] * SR_DEG2RAD);
		s->gtop[r][1] = r >= NR - 1 ? 0.0 : sr_gs(s->row_top[r] * SR_DEG2RAD);
	}
	for (k = 0; k < nc; k++)
	{
		double		c0 = (k - 0.5) * wc, c1 = (k + 0.5) * wc;

		if (k % 8 == 0)
			sr_check_interrupts();
		for (r = 0; r < NR; r++)
		{
			int			np = sr_sky_row_patches(r), q0 = sr_sky_row_first(r), jj, sh, mm;
			double		pw = 2.0 * SR_PI / np;
			double	   *W = s->w + ((size_t) k * NR + r) * NC;

			for (jj = 0; jj < np; jj++)
			{
				double		a0 = (jj - 0.5) * pw, a1 = (jj + 0.5) * pw;

				for (sh = -1; sh <= 1; sh++)
				{
					double		lo = a0 + sh * 2.0 * SR_PI, hi = a1 + sh * 2.0 * SR_PI;
					double		ov, ic, is;

					lo = lo < c0 ? c0 : lo;
					hi = hi > c1 ? c1 : hi;
					if (!(hi > lo))
						continue;
					ov = hi - lo;
					ic = sin(hi) - sin(lo);
					is = cos(lo) - cos(hi);
					for (mm = 0; mm < 12; mm++)
					{
						double		L = rad[(size_t) mm * SR_SKY_NPATCH + q0 + jj];

						W[mm] += L * ov;
						W[12 + mm] += L * ic;
						W[24 + mm] += L * is;
					}
				}
			}
		}
		/* the diffuse above each row's top */
		for (r = NR - 2; r >= 0; r--)
		{
			const double *W1 = s->w + ((size_t) k * NR + r + 1) * NC;
			const double *A1 = s->above + ((size_t) k * NR + r + 1) * NC;
			double	   *A0 = s->above + ((size_t) k * NR + r) * NC;
			double		b1 = s->row_top[r] * SR_DEG2RAD, t1 = s->row_top[r + 1] * SR_DEG2RAD;
			double		dgc = sr_gc(b1) - (r + 1 == NR - 1 ? 0.0 : sr_gc(t1));
			double		dgs = sr_gs(b1) - (r + 1 == NR - 1 ? 0.0 : sr_gs(t1));

			for (i = 0; i < NC; i++)
				A0[i] = A1[i] + W1[i] * (i < 12 ? dgc : dgs);
		}
	}
	for (i = 0; i < 12; i++)
	{
		s->m_ghi[i] = sky->m_ghi[i];
		s->a_ghi += sky->m_ghi[i];
	}
	return SR_OK;
}

/* patch row of an elevation (rad) */
static inline int
row_of(const ra_sky *s, float lo)
{
	int			r = (int) (lo * s->inv_alpha_rad);

	r = r < 0 ? 0 : r;
	return r < NR - 1 ? r : NR - 1;
}

/* g at the top of row r (0 above the zenith cap) */
static inline void
g_top(const ra_sky *s, int r, double *gc, double *gs)
{
	*gc = s->gtop[r][0];		/* (sky_build) */
	*gs = s->gtop[r][1];
}

static void
plane_free(ra_plane *p)
{
	sr_free(p->C);
	sr_free(p->A);
	sr_free(p->B);
	sr_free(p->e0t);
	sr_free(p->e0r);
	sr_free(p->e0gc);
	sr_free(p->e0gs);
	sr_free(p->e0d);
	sr_free(p->cumb);
	sr_free(p->vq);
	memset(p, 0, sizeof(*p));
}

static sr_status
plane_alloc(ra_plane *p, const ra_sky *s, sr_err *err)
{
	int			ns = s->nc;		/* (its columns) */

	p->C = sr_alloc(sizeof(float) * ns * NR);
	p->A = sr_alloc(sizeof(float) * ns * NR);
	p->B = sr_alloc(sizeof(float) * ns * NR);
	p->e0t = sr_alloc(sizeof(float) * ns);
	p->e0r = sr_alloc(sizeof(int) * ns);
	p->e0gc = sr_alloc(sizeof(float) * ns);
	p->e0gs = sr_alloc(sizeof(float) * ns);
	p->e0d = sr_alloc(sizeof(float) * ns);
	p->cumb = sr_alloc(sizeof(float) * (s->nsun + s->nf + 1));
	p->vq = sr_alloc(sizeof(double) * (s->nsun + 1));
	if (!p->C || !p->A || !p->B || !p->e0t || !p->e0r || !p->e0gc || !p->e0gs ||
		!p->e0d || !p->cumb || !p->vq)
	{
		plane_free(p);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	return SR_OK;
}

/* Lay the sky out for a plane. */
static void
plane_fill(ra_plane *p, const ra_sky *s, double tilt, double az, double albedo)
{
	double		b = tilt * SR_DEG2RAD, g = az * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b), w = 2.0 * SR_PI / s->nc;
	int			k, r, i, j;

	p->tilt = tilt;
	p->az = az;
	p->k0 = cb;
	p->k1 = sb * cos(g);
	p->k2 = sb * sin(g);
	if (sb <= 1e-12)
		p->k1 = p->k2 = 0.0;
	p->dopen = 0.0;
	for (k = 0; k < s->nc; k++)
	{
		double		c = cos(k * w - g), e0 = 0.0, gtc, gts, v;

		for (r = 0; r < NR; r++)
		{
			const double *W = s->w + ((size_t) k * NR + r) * NC;
			const double *Ab = s->above + ((size_t) k * NR + r) * NC;
			double		w0 = 0, w1 = 0, w2 = 0, a0 = 0, a1 = 0, a2 = 0;

			for (i = 0; i < 12; i++)
			{
				w0 += W[i];
				w1 += W[12 + i];
				w2 += W[24 + i];
				a0 += Ab[i];
				a1 += Ab[12 + i];
				a2 += Ab[24 + i];
			}
			g_top(s, r, &gtc, &gts);
			p->C[k * NR + r] = (float) (p->k0 * (a0 - w0 * gtc) + p->k1 * (a1 - w1 * gts) +
										p->k2 * (a2 - w2 * gts));
			p->A[k * NR + r] = (float) (p->k0 * w0);
			p->B[k * NR + r] = (float) (p->k1 * w1 + p->k2 * w2);
		}
		/* where the plane turns its back, at the column's centre (as the
		 * kernel does) */
		if (sb > 1e-12 && c < 0)
			e0 = cb > 1e-12 ? atan(-sb * c / cb) : SR_PI / 2;
		p->e0t[k] = e0 > 0 ? (float) (cb > 1e-12 ? -sb * c / cb : INFINITY) : 0.0f;
		p->e0r[k] = row_of(s, (float) e0);
		p->e0gc[k] = (float) sr_gc(e0);
		p->e0gs[k] = (float) sr_gs(e0);
		v = p->C[k * NR + p->e0r[k]] + p->A[k * NR + p->e0r[k]] * sr_gc(e0) +
			p->B[k * NR + p->e0r[k]] * sr_gs(e0);
		p->e0d[k] = (float) v;
		p->dopen += v;
	}
	/* beam: the top c suns of every column, max(0, cos) each */
	p->bopen = 0.0;
	for (j = 0; j < s->nf; j++)
	{
		double		acc = 0.0;
		float	   *cb2 = p->cumb + s->cs[j] + j;

		cb2[0] = 0.0f;
		for (i = s->cs[j]; i < s->cs[j + 1]; i++)
		{
			double		v = p->k0 * s->sbx[i] + p->k1 * s->sby[i] + p->k2 * s->sbz[i];

			p->vq[i] = v;
			acc += v > 0 ? v : 0.0;
			cb2[i - s->cs[j] + 1] = (float) acc;
		}
		p->bopen += acc;
	}
	p->ground_a = albedo * (1.0 - cb) * 0.5 * s->a_ghi;
	for (i = 0; i < 12; i++)
		p->ground_m[i] = albedo * (1.0 - cb) * 0.5 * s->m_ghi[i];
	p->ready = 1;
}

/* The plane of an orientation, laid out now or kept from before. */
static ra_plane *
plane_get(const sr_roofarea *ra, ra_work *wk, double tilt, double az)
{
	ra_plane   *p = NULL;
	int			i;

	for (i = 0; i < RA_NPLANES; i++)
		if (wk->pl[i].ready && wk->pl[i].tilt == tilt && wk->pl[i].az == az)
		{
			p = &wk->pl[i];
			break;
		}
	if (!p)
	{
		p = &wk->pl[0];
		for (i = 1; i < RA_NPLANES; i++)
			if (wk->pl[i].stamp < p->stamp)
				p = &wk->pl[i];
		plane_fill(p, &ra->sky, tilt, az, ra->o.albedo);
	}
	p->stamp = ++wk->stamp;
	return p;
}

/* ---------- obstacles' grid ---------- */

static void
index_free(ra_index *x)
{
	sr_free(x->bb);
	sr_free(x->side);
	sr_free(x->multi);
	sr_free(x->cell_start);
	sr_free(x->items);
	sr_free(x->cell_bb);
	sr_free(x->cell_ztop);
	memset(x, 0, sizeof(*x));
}

/* Twice the signed area of a closed ring (> 0: counter-clockwise). */
static double
ring_area2(const double *xy, int p0, int p1)
{
	double		a = 0.0;

	for (int i = p0; i + 1 < p1; i++)
		a += (xy[2 * i] - xy[2 * p0]) * (xy[2 * i + 3] - xy[2 * p0 + 1]) -
			(xy[2 * i + 2] - xy[2 * p0]) * (xy[2 * i + 1] - xy[2 * p0 + 1]);
	return a;
}

/* Whether (x, y) is inside a closed ring (crossings). */
static int
in_ring(const double *xy, int p0, int p1, double x, double y)
{
	int			in = 0;

	for (int i = p0; i + 1 < p1; i++)
	{
		double		ya = xy[2 * i + 1], yb = xy[2 * i + 3];

		if ((ya > y) != (yb > y) &&
			x < xy[2 * i] + (y - ya) * (xy[2 * i + 2] - xy[2 * i]) / (yb - ya))
			in = !in;
	}
	return in;
}

static inline double
orient2(const double *a, const double *b, const double *c)
{
	return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/* Whether a closed ring is simple: no two walls meet but neighbours at
 * their common end (O(n^2): rings up to 256 points; longer ones are taken
 * as not simple). */
static int
ring_simple(const double *xy, int p0, int p1)
{
	int			n = p1 - p0 - 1;

	if (n < 3 || n > 256)
		return 0;
	for (int i = 0; i < n; i++)
	{
		const double *a = xy + 2 * (p0 + i), *b = xy + 2 * (p0 + i + 1);

		for (int j = i + 1; j < n; j++)
		{
			const double *c = xy + 2 * (p0 + j), *d = xy + 2 * (p0 + j + 1);
			double		o1, o2, o3, o4;

			if (j == i + 1 || (i == 0 && j == n - 1))
				continue;		/* neighbours */
			o1 = orient2(a, b, c);
			o2 = orient2(a, b, d);
			o3 = orient2(c, d, a);
			o4 = orient2(c, d, b);
			if (((o1 <= 0 && o2 >= 0) || (o1 >= 0 && o2 <= 0)) &&
				((o3 <= 0 && o4 >= 0) || (o3 >= 0 && o4 <= 0)))
			{
				/* collinear walls apart from each other do not meet */
				if (o1 == 0 && o2 == 0 &&
					(fmax(a[0], b[0]) < fmin(c[0], d[0]) || fmax(c[0], d[0]) < fmin(a[0], b[0]) ||
					 fmax(a[1], b[1]) < fmin(c[1], d[1]) || fmax(c[1], d[1]) < fmin(a[1], b[1])))
					continue;
				return 0;
			}
		}
	}
	return 1;
}

static sr_status
index_build(ra_index *x, const sr_obstacles *obs, sr_err *err)
{
	double		xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
	int			n = obs->n, b, i, ncell;
	int		   *fill;

	memset(x, 0, sizeof(*x));
	x->obs = obs;
	x->zmax = -INFINITY;
	x->bb = sr_alloc(sizeof(double) * 4 * (n + 1));
	x->side = sr_alloc0(obs->ring_start[n] + 1);
	x->multi = sr_alloc0(n + 1);
	if (!x->bb || !x->side || !x->multi)
	{
		index_free(x);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (b = 0; b < n; b++)
	{
		double	   *bb = x->bb + 4 * b;
		int			p0 = obs->pt_start[obs->ring_start[b]];
		int			p1 = obs->pt_start[obs->ring_start[b + 1]];

		if (b % 4096 == 0)
			sr_check_interrupts();
		bb[0] = bb[1] = INFINITY;
		bb[2] = bb[3] = -INFINITY;
		for (i = p0; i < p1; i++)
		{
			bb[0] = fmin(bb[0], obs->xy[2 * i]);
			bb[1] = fmin(bb[1], obs->xy[2 * i + 1]);
			bb[2] = fmax(bb[2], obs->xy[2 * i]);
			bb[3] = fmax(bb[3], obs->xy[2 * i + 1]);
		}
		/* where the footprint lies, seen from each wall: on the left of a
		 * counter-clockwise outer ring, on the right of a counter-clockwise
		 * hole (a ring inside an odd number of the others: the majority of
		 * three of its vertices, one may touch another ring); a ring that
		 * is not simple gets 0 (its back walls are never skipped) */
		for (int r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
		{
			int			q0 = obs->pt_start[r], q1 = obs->pt_start[r + 1], holes = 0;
			double		a2 = ring_area2(obs->xy, q0, q1);

			/* (a 3D polygon is a surface, seen from both sides) */
			if ((obs->is3d && obs->is3d[b]) || q1 - q0 < 4 || a2 == 0 ||
				!ring_simple(obs->xy, q0, q1))
				continue;
			for (int v = 0; v < 3; v++)
			{
				int			inside = 0;

				for (int r2 = obs->ring_start[b]; r2 < obs->ring_start[b + 1]; r2++)
					if (r2 != r)
						inside += in_ring(obs->xy, obs->pt_start[r2], obs->pt_start[r2 + 1],
										  obs->xy[2 * (q0 + v)], obs->xy[2 * (q0 + v) + 1]);
				holes += inside % 2;
			}
			x->side[r] = (signed char) ((a2 > 0 ? 1 : -1) * (holes >= 2 ? -1 : 1));
		}
		if (p1 > p0)
		{
			xmin = fmin(xmin, bb[0]);
			ymin = fmin(ymin, bb[1]);
			xmax = fmax(xmax, bb[2]);
			ymax = fmax(ymax, bb[3]);
			x->zmax = fmax(x->zmax, obs->ztop[b]);
		}
	}
	if (!(xmin <= xmax))
	{
		xmin = ymin = 0;
		xmax = ymax = 1;
	}
	/* about 4 obstacles per cell, at least 10 m */
	x->cs = sqrt((xmax - xmin + 1) * (ymax - ymin + 1) * 4.0 / (n > 0 ? n : 1));
	x->cs = x->cs < 10 ? 10 : x->cs;
	x->x0 = xmin;
	x->y0 = ymin;
	x->nx = sr_grid_cells(xmax - xmin, x->cs, 5e7);
	x->ny = sr_grid_cells(ymax - ymin, x->cs, 5e7);
	if (x->nx < 0 || x->ny < 0 || (double) x->nx * x->ny > 5e7)
	{
		index_free(x);
		sr_error(err, SR_EINVAL, "the obstacles span %.3g m by %.3g m, too wide for the obstacle index",
				 xmax - xmin, ymax - ymin);
		sr_error_hint(err, "The obstacles must be buildings of one area, in metres of one projected CRS; "
					  "look for a stray coordinate.");
		return SR_EINVAL;
	}
	ncell = x->nx * x->ny;
	x->cell_start = sr_alloc0(sizeof(int) * (ncell + 1));
	x->cell_bb = sr_alloc(sizeof(double) * 4 * (size_t) ncell);
	x->cell_ztop = sr_alloc(sizeof(double) * (size_t) ncell);
	fill = sr_alloc0(sizeof(int) * (ncell + 1));
	if (!x->cell_start || !x->cell_bb || !x->cell_ztop || !fill)
	{
		sr_free(fill);
		index_free(x);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (i = 0; i < ncell; i++)
	{
		x->cell_bb[4 * (size_t) i] = x->cell_bb[4 * (size_t) i + 1] = INFINITY;
		x->cell_bb[4 * (size_t) i + 2] = x->cell_bb[4 * (size_t) i + 3] = -INFINITY;
		x->cell_ztop[i] = -INFINITY;
	}
	for (int pass = 0; pass < 2; pass++)
	{
		for (b = 0; b < n; b++)
		{
			const double *bb = x->bb + 4 * b;
			int			i0, i1, j0, j1, ii, jj;

			if (!(bb[0] <= bb[2]))
				continue;
			i0 = (int) floor((bb[0] - x->x0) / x->cs);
			i1 = (int) floor((bb[2] - x->x0) / x->cs);
			j0 = (int) floor((bb[1] - x->y0) / x->cs);
			j1 = (int) floor((bb[3] - x->y0) / x->cs);
			x->multi[b] = i1 > i0 || j1 > j0;
			for (jj = j0; jj <= j1; jj++)
				for (ii = i0; ii <= i1; ii++)
				{
					size_t		c = (size_t) jj * x->nx + ii;

					if (pass == 0)
					{
						double	   *cb = x->cell_bb + 4 * c;

						x->cell_start[c + 1]++;
						cb[0] = fmin(cb[0], bb[0]);
						cb[1] = fmin(cb[1], bb[1]);
						cb[2] = fmax(cb[2], bb[2]);
						cb[3] = fmax(cb[3], bb[3]);
						x->cell_ztop[c] = fmax(x->cell_ztop[c], obs->ztop[b]);
					}
					else
						x->items[x->cell_start[c] + fill[c]++] = b;
				}
		}
		if (pass == 0)
		{
			for (i = 0; i < ncell; i++)
				x->cell_start[i + 1] += x->cell_start[i];
			x->items = sr_alloc(sizeof(int) * (x->cell_start[ncell] + 1));
			if (!x->items)
			{
				sr_free(fill);
				index_free(x);
				return sr_error(err, SR_ENOMEM, "out of memory");
			}
		}
	}
	sr_free(fill);
	return SR_OK;
}

/* ---------- skylines ---------- */

/* Ray range [j0, j1] (j0 in [0, nf), j1 >= j0, maybe >= nf: wraps) of the
 * directions clockwise from f0 to f1 (ray positions); false when no ray
 * lies between. */
static inline int
ray_span(int nf, double f0, double f1, int *j0, int *j1)
{
	int			a, b;

	if (f1 < f0)
		f1 += nf;
	a = (int) ceil(f0);
	b = (int) floor(f1);
	if (b < a)
		return 0;
	if (a >= nf)
	{
		a -= nf;
		b -= nf;
	}
	*j0 = a;
	*j1 = b;
	return 1;
}

/* The bin of the direction (x east, y north) in the diamond angle (as
 * dir_bin, below, in doubles) and the angle itself in *d. */
static inline int
dir_bin_d(double x, double y, double *d)
{
	double		ax = fabs(x), ay = fabs(y), sm = ax + ay;
	int			xn = x < 0.0, yn = y < 0.0, b;
	double		r = (xn == yn ? ax : ay) / (sm > 0.0 ? sm : 1.0);

	*d = (yn ? (xn ? 2 : 1) : (xn ? 3 : 0)) + r;
	b = (int) (*d * RA_DBIN);
	return b < 4 * RA_DBIN ? b : 4 * RA_DBIN - 1;
}

/* Rays a box grown by rho can be hit by from (cx, cy), with one ray of
 * margin each side (j1 may pass nf); false when the point is in the grown
 * box (any ray). */
static int
box_rays(const ra_sky *s, const double *bb, double cx, double cy, double rho,
		 int *j0, int *j1)
{
	double		ax, ay, bx, by, fa, fb;
	int			ba, bz;

	/* the two corners bounding its outline, b clockwise of a; their rays
	 * from the diamond angle's table (dir_bin_d) */
	if (!sr_box_outline(bb[0] - rho - cx, bb[2] + rho - cx, bb[1] - rho - cy, bb[3] + rho - cy,
						&ax, &ay, &bx, &by))
		return 0;
	ba = dir_bin_d(ax, ay, &fa);
	bz = dir_bin_d(bx, by, &fb);
	*j0 = s->dlo[ba] - 1;
	*j1 = s->dhi[bz] + 1 + (fb < fa ? s->nf : 0);
	while (*j0 < 0)
	{
		*j0 += s->nf;
		*j1 += s->nf;
	}
	while (*j0 >= s->nf)
	{
		*j0 -= s->nf;
		*j1 -= s->nf;
	}
	return *j1 - *j0 < s->nf;
}

static inline double
box_dist(const double *bb, double x, double y)
{
	double		dx = x < bb[0] ? bb[0] - x : (x > bb[2] ? x - bb[2] : 0.0);
	double		dy = y < bb[1] ? bb[1] - y : (y > bb[3] ? y - bb[3] : 0.0);

	return sqrt(dx * dx + dy * dy);
}

/* Lowest value of v[] over rays j0..j1 (j1 < 2 n) */
static inline float
range_min(const float *v, int n, int j0, int j1)
{
	float		m = INFINITY;

	for (int jj = j0; jj <= j1; jj++)
	{
		float		x = v[jj < n ? jj : jj - n];

		m = x < m ? x : m;
	}
	return m;
}

/* t[j] = max(t[j], the wall's tangent along ray j) for the blocks of
 * RA_VL rays b0..b1 (b1 may pass the last block: wraps): ray u hits the
 * wall a + tau d (relative to the sample) when tau = (a x u) / (u x d) is
 * in [0, 1] and s = (a x d) / (u x d) > 0, at tangent tz (u x d) / (a x
 * d); a hit beyond the radius (tangent < vr) does not count, nor does a
 * ray of the block outside the wall's span (no hit).  Whether any rose. */
static inline int
rays_raise(float *restrict t, int *restrict win, int id, const float *restrict ux,
		   const float *restrict uy, int nb, int b0, int b1, float ax, float ay,
		   float dx, float dy, float cad, float k, float vr, float kz, float icad, float vr0)
{
	ra_vi		up = {0};
	const ra_vi vid = {id, id, id, id};

	for (int bb = b0; bb <= b1; bb++)
	{
		int			j = RA_VL * (bb < nb ? bb : bb - nb);
		ra_vf		vux, vuy, vt, num, ud, v;
		ra_vi		hit, gt, vw;

		memcpy(&vux, ux + j, sizeof(vux));
		memcpy(&vuy, uy + j, sizeof(vuy));
		memcpy(&vt, t + j, sizeof(vt));
		memcpy(&vw, win + j, sizeof(vw));
		num = ax * vuy - ay * vux;
		ud = vux * dy - vuy * dx;
		if (kz == 0.0f)
		{
			/* a prism's wall: its top tz over the distance s = cad / ud,
			 * within the radius where v >= tz / R */
			v = k * ud;
			hit = (num * ud >= 0.0f) & (num * num <= ud * ud) & (cad * ud > 0.0f) & (v >= vr);
		}
		else
		{
			/* a sloping edge: its top at the hit, tz + (num / ud) dz,
			 * over s; within the radius where 1 / s >= 1 / R */
			v = k * ud + kz * num;
			hit = (num * ud >= 0.0f) & (num * num <= ud * ud) & (cad * ud > 0.0f) &
				(ud * icad >= vr0);
		}
		v = (ra_vf) ((ra_vi) v & hit);
		gt = v > vt;
		up |= gt;
		vt = (ra_vf) (((ra_vi) v & gt) | ((ra_vi) vt & ~gt));
		vw = (vid & gt) | (vw & ~gt);
		memcpy(t + j, &vt, sizeof(vt));
		memcpy(win + j, &vw, sizeof(vw));
	}
	return (up[0] | up[1] | up[2] | up[3]) != 0;
}

/* The bin of the direction (x east, y north) in the diamond angle, a
 * monotone stand-in for its azimuth clockwise from north with one division
 * and no arctangent: d = q + r in [0, 4], q the quadrant (0 north-east, 1
 * south-east ...), r = |x| / (|x| + |y|) or |y| / (|x| + |y|) in it; and
 * d itself (for the order of two directions). */
static inline int
dir_bin(float x, float y, float *d)
{
	float		ax = fabsf(x), ay = fabsf(y), sm = ax + ay;
	int			xn = x < 0.0f, yn = y < 0.0f, b;
	float		r = (xn == yn ? ax : ay) / (sm > 0.0f ? sm : 1.0f);

	*d = (float) (yn ? (xn ? 2 : 1) : (xn ? 3 : 0)) + r;
	b = (int) (*d * (float) RA_DBIN);
	return b < 4 * RA_DBIN ? b : 4 * RA_DBIN - 1;
}

/* The rays a wall spans, seen from a point at (-ax, -ay) of its end A (cad:
 * a x d, nonzero), with a margin (sky_build's dlo, dhi: about one bin of
 * the diamond angle each side, and its rounding): clockwise from A to B
 * when a x d < 0.  j0 in [0, nf), j1 >= j0 (past nf: wraps).  The hit
 * test (rays_raise) decides exactly which of them the wall holds. */
static inline void
edge_span(const ra_sky *s, const ra_edge *e, float ax, float ay, float cad, int *j0, int *j1)
{
	int			nf = s->nf, ba, bb, k0, k1;
	float		da, db;

	ba = dir_bin(ax, ay, &da);
	bb = dir_bin(ax + e->dx, ay + e->dy, &db);
	if (cad < 0.0f)
	{
		k0 = s->dlo[ba];
		k1 = s->dhi[bb] + (db < da ? nf : 0);
	}
	else
	{
		k0 = s->dlo[bb];
		k1 = s->dhi[ba] + (da < db ? nf : 0);
	}
	if (k1 - k0 >= nf)
	{
		*j0 = 0;
		*j1 = nf - 1;
		return;
	}
	*j0 = k0 < 0 ? k0 + nf : (k0 >= nf ? k0 - nf : k0);
	*j1 = *j0 + (k1 - k0);
}

/* Lowest sector minimum over sectors k0..k1 (wrapping; k0 < 0: all)
 * from the sparse table st[l][k] = min over sectors k .. k + 2^l - 1 of
 * the doubled sector array (2 ns entries per level). */
static inline float
sector_min(const float *st, int ns, int k0, int k1)
{
	int			len, l;
	float		a, b;

	if (k1 < k0)
		k1 += ns;
	len = k0 < 0 ? ns : k1 - k0 + 1;
	k0 = k0 < 0 ? 0 : k0;
	k1 = k0 + len - 1;
	l = 31 - __builtin_clz((unsigned) len);
	a = st[(size_t) l * 2 * ns + k0];
	b = st[(size_t) l * 2 * ns + k1 - (1 << l) + 1];
	return a < b ? a : b;
}

/* Fold a wall, seen from (x, y, z) (z relative to the face's origin),
 * into the rays' tangents t[] (the wall holding a ray in win[]).  With
 * ub > 0, first its best tangent from here (ub) against the lowest ray of
 * its span: nothing done when it cannot rise above (with smin, the
 * sample's sector minima's sparse table, first against the sectors over
 * its span: lower, so a cheaper test that never skips a wall the rays'
 * would keep).  Whether it raised any ray. */
static inline int
edge_rays(const sr_roofarea *ra, const ra_edge *e, int id, double x, double y, float z,
		  float *t, int *win, float ub, const float *smin)
{
	const ra_sky *s = &ra->sky;
	float		tz = e->ztop - z, ax, ay, cad;
	int			nf = s->nf, nb = s->nfv / RA_VL, j0, j1, b0, b1;

	if (!(tz + (e->dz > 0 ? e->dz : 0.0f) > 0))
		return 0;
	ax = (float) (e->ax - x);
	ay = (float) (e->ay - y);
	cad = ax * e->dy - ay * e->dx;	/* a x d */
	/* a wall seen from the footprint's side: the ray went through the
	 * footprint first, nearer, in the same direction */
	if (e->side * cad < 0.0f || cad == 0.0f)
		return 0;
	edge_span(s, e, ax, ay, cad, &j0, &j1);
	if (ub > 0.0f)
	{
		/* the lowest ray of its span already as high: nothing to add */
		float		mn = INFINITY;

		if (smin && j1 - j0 + 1 + 2 * s->m <= nf &&
			ub <= sector_min(smin, s->ns, j0 / s->m, (j1 < nf ? j1 : j1 - nf) / s->m))
			return 0;

		for (int jj = j0; jj <= j1; jj++)
		{
			float		v = t[jj < nf ? jj : jj - nf];

			mn = v < mn ? v : mn;
		}
		if (ub <= mn)
			return 0;
	}
	ST(1, 1);
	b0 = j0 / RA_VL;
	b1 = j1 < nf ? j1 / RA_VL : nb + (j1 - nf) / RA_VL;
	ST(2, RA_VL * (b1 - b0 + 1));
	return rays_raise(t, win, id, s->ux, s->uy, nb, b0, b1, ax, ay, e->dx, e->dy, cad,
					  tz / cad, tz / (float) ra->o.radius_m, e->dz / cad, 1.0f / cad,
					  1.0f / (float) ra->o.radius_m);
}

/* Lower bound over the tile's disc (centre cx, cy, radius rho, samples at
 * most zhi high) of the rays where obstacle o's walls are hit from every
 * point of the disc (see the header comment). */
static int
obstacle_lb(const sr_roofarea *ra, int o, double cx, double cy, double rho, double zhi,
			double dmin, float *lb, float *lbs)
{
	const sr_obstacles *obs = ra->ix.obs;
	const ra_sky *s = &ra->sky;
	double		tz = obs->ztop[o] - zhi, R = ra->o.radius_m;
	int			nf = s->nf, r, i, up = 0;

	if (!(tz > 0))
		return 0;
	for (r = obs->ring_start[o]; r < obs->ring_start[o + 1]; r++)
	{
		int			p0 = obs->pt_start[r], p1 = obs->pt_start[r + 1];

		for (i = p0; i + 1 < p1; i++)
		{
			double		ax = obs->xy[2 * i] - cx, ay = obs->xy[2 * i + 1] - cy;
			double		bx = obs->xy[2 * i + 2] - cx, by = obs->xy[2 * i + 3] - cy;
			double		cr = ax * by - ay * bx, dx = bx - ax, dy = by - ay;
			double		L = sqrt(dx * dx + dy * dy), fa, fb;
			int			j0, j1, ok, jj;

			/* a 3D polygon's edge: the lower of its two ends' heights */
			if (obs->is3d && obs->is3d[o])
				tz = fmin(obs->z[i], obs->z[i + 1]) - zhi;
			if (!(tz > 0))
				continue;
			if (!(L > 2 * rho) || fabs(cr) <= 1e-9 * L * L)
				continue;		/* (shorter than the disc: never hit by all) */
			/* (the nearest point beyond the radius: nothing) */
			if (fmin(ax * ax + ay * ay, bx * bx + by * by) > R * R &&
				fabs(cr) > R * L)
				continue;
			fa = ray_pos(s, azimuth_of(ax, ay));
			fb = ray_pos(s, azimuth_of(bx, by));
			ok = cr < 0 ? ray_span(nf, fa, fb, &j0, &j1) : ray_span(nf, fb, fa, &j0, &j1);
			if (!ok)
				continue;
			for (jj = j0; jj <= j1; jj++)
			{
				int			j = jj < nf ? jj : jj - nf;
				double		ux = s->ux[j], uy = s->uy[j];
				double		ud = ux * dy - uy * dx;	/* u x d */
				double		sc, tau, mg;

				if (ud == 0)
					continue;
				sc = cr / ud;	/* distance from the centre */
				tau = (ax * uy - ay * ux) / ud;	/* where on the wall */
				mg = rho * L / fabs(ud);	/* how far the hit moves: rho / sin(phi) */
				if (sc <= mg || tau * L < mg || (1 - tau) * L < mg || sc + mg > R || sc - mg < dmin)
					continue;
				if (tz / (sc + mg) > lb[j])
				{
					lb[j] = (float) (tz / (sc + mg));
					if (lbs)
						lbs[j] = (float) (1.0 / (sc + mg));	/* (its slope in z) */
					up = 1;
				}
			}
		}
	}
	return up;
}

static int
cmp_cand(const void *a, const void *b)
{
	const ra_cand *x = a, *y = b;

	return x->d < y->d ? -1 : x->d > y->d;
}

/* The walls of the candidates that may show above the lower bound lb[]
 * somewhere on the tile, nearest obstacles first; their count (-1: out of
 * memory).  Heights relative to z0. */
static int
tile_edges(const sr_roofarea *ra, ra_work *wk, int ncand, double cx, double cy, double rho,
		   double zlo, double z0, double R)
{
	const ra_index *x = &ra->ix;
	const sr_obstacles *obs = x->obs;
	const ra_sky *s = &ra->sky;
	const float *lb = wk->lb;
	int			ne = 0, nf = s->nf, m = s->m;

	for (int i = 0; i < ncand; i++)
	{
		int			o = wk->cand[i].o;
		double		tzu = obs->ztop[o] - zlo;
		/* a footprint the tile may reach into: no back walls skipped */
		int			near = box_dist(x->bb + 4 * o, cx, cy) <= rho;

		for (int r = obs->ring_start[o]; r < obs->ring_start[o + 1]; r++)
		{
			int			side = near ? 0 : x->side[r];

			for (int q = obs->pt_start[r]; q + 1 < obs->pt_start[r + 1]; q++)
			{
				double		ax = obs->xy[2 * q], ay = obs->xy[2 * q + 1];
				double		bx = obs->xy[2 * q + 2], by = obs->xy[2 * q + 3];
				double		dx = bx - ax, dy = by - ay, L = sqrt(dx * dx + dy * dy);
				double		bb[4], dseg, ub, tt;
				int			j0, j1, any;
				ra_edge    *e;

				if (!(L > 0))
					continue;
				/* the whole tile on the footprint's side of the wall */
				if (side && side * (dx * (cy - ay) - dy * (cx - ax)) >= rho * L)
					continue;
				tt = -((ax - cx) * dx + (ay - cy) * dy) / (L * L);
				tt = tt < 0 ? 0 : (tt > 1 ? 1 : tt);
				dseg = hypot(ax + tt * dx - cx, ay + tt * dy - cy);
				if (dseg - rho > R)
					continue;
				ub = dseg - rho > 1e-3 ? tzu / (dseg - rho) : INFINITY;
				bb[0] = fmin(ax, bx);
				bb[1] = fmin(ay, by);
				bb[2] = fmax(ax, bx);
				bb[3] = fmax(ay, by);
				any = !box_rays(s, bb, cx, cy, rho, &j0, &j1);
				if (!any && ub <= range_min(lb, nf, j0, j1))
					continue;
				if (ne >= wk->edge_cap &&
					!grow((void **) &wk->edge, &wk->edge_cap, ne + 1, sizeof(ra_edge)))
					return -1;
				e = &wk->edge[ne++];
				e->ax = ax;
				e->ay = ay;
				e->dx = (float) dx;
				e->dy = (float) dy;
				if (obs->is3d && obs->is3d[o])
				{
					/* a 3D polygon's edge: its own heights at both ends */
					e->ztop = (float) (obs->z[q] - z0);
					e->dz = (float) (obs->z[q + 1] - obs->z[q]);
				}
				else
				{
					e->ztop = (float) (obs->ztop[o] - z0);
					e->dz = 0.0f;
				}
				e->ub = (float) ub;
				e->dn = (float) dseg;
				/* a x d > 0 for a sample on the left of the wall: the
				 * side test is side * (a x d) < 0 */
				e->side = (signed char) -side;
				e->active = 0;
				e->q = q;
				e->fid = -1;
				if (any)
				{
					e->b0 = 0;
					e->b1 = s->nfv / RA_VL - 1;
					e->k0 = e->k1 = -1;
				}
				else
				{
					/* (j1 < 2 nf: its block past the last one wraps) */
					int			jb = j1 < nf ? j1 : j1 - nf;

					e->b0 = j0 / RA_VL;
					e->b1 = jb / RA_VL + (j1 < nf ? 0 : s->nfv / RA_VL);
					if (e->b1 < e->b0)
						e->b1 += s->nfv / RA_VL;
					e->k0 = j0 / m;
					e->k1 = jb / m;
				}
			}
		}
	}
	ST(7, ne);
	return ne;
}

/* The walls that may raise the skylines of a tile's samples (disc cx, cy,
 * rho; samples between zlo and zhi), and in wk->lb the lower bound of
 * those skylines; excl: the face's own obstacle.  Their count, -1 out of
 * memory. */
static int
tile_prepare(const sr_roofarea *ra, ra_work *wk, double cx, double cy, double rho,
			 double zlo, double zhi, double z0, int excl, double R, double dmin, float *lbs)
{
	const ra_index *x = &ra->ix;
	const sr_obstacles *obs = x->obs;
	const ra_sky *s = &ra->sky;
	float	   *lb = wk->lb;
	int			nf = s->nf, ncand = 0;
	float		lbmin = 0.0f;
	int			ci, cj, ring, maxring;

	for (int j = 0; j < nf; j++)
		lb[j] = 0.0f;
	if (lbs)
		for (int j = 0; j < s->nfv; j++)
			lbs[j] = 0.0f;
	ci = (int) floor((cx - x->x0) / x->cs);
	cj = (int) floor((cy - x->y0) / x->cs);
	maxring = (int) ceil((R + rho) / x->cs) + 1;
	for (ring = 0; ring <= maxring; ring++)
	{
		if (ring >= 2)
		{
			/* every cell of this ring is at least (ring - 1) cells away */
			double		ring_dmin = (ring - 1) * x->cs - rho;

			if (ring_dmin > R)
				break;
			if (ring_dmin > 0 && (x->zmax - zlo) / ring_dmin <= lbmin)
				break;
		}
		for (int dj = -ring; dj <= ring; dj++)
		{
			int			jj = cj + dj;
			int			step = (dj == -ring || dj == ring) ? 1 : 2 * ring;

			if (jj < 0 || jj >= x->ny)
				continue;
			for (int di = -ring; di <= ring; di += (step > 0 ? step : 1))
			{
				int			ii = ci + di, e, j0, j1;
				size_t		c;
				double		d, cz;

				if (ii < 0 || ii >= x->nx)
					continue;
				c = (size_t) jj * x->nx + ii;
				/* the whole cell first: its obstacles' box and highest top */
				cz = x->cell_ztop[c] - zlo;
				if (!(cz > 0))
					goto next_cell;
				d = box_dist(x->cell_bb + 4 * c, cx, cy) - rho;
				if (d > R)
					goto next_cell;
				if (d > 0 && (cz / d <= lbmin ||
							  (box_rays(s, x->cell_bb + 4 * c, cx, cy, rho, &j0, &j1) &&
							   cz / d <= range_min(lb, nf, j0, j1))))
					goto next_cell;
				for (e = x->cell_start[c]; e < x->cell_start[c + 1]; e++)
				{
					int			o = x->items[e];
					const double *bb = x->bb + 4 * o;
					double		tzu = obs->ztop[o] - zlo, ub;

					if (o == excl || !(tzu > 0))
						continue;
					if (x->multi[o])
					{
						/* taken in the cell of its point nearest to the
						 * centre (as cadastre_horizon.c) */
						double		nx = cx < bb[0] ? bb[0] : (cx > bb[2] ? bb[2] : cx);
						double		ny = cy < bb[1] ? bb[1] : (cy > bb[3] ? bb[3] : cy);

						if ((int) floor((nx - x->x0) / x->cs) != ii ||
							(int) floor((ny - x->y0) / x->cs) != jj)
							continue;
					}
					d = box_dist(bb, cx, cy);
					if (d - rho > R)
						continue;
					ub = d - rho > 1e-3 ? tzu / (d - rho) : INFINITY;
					if (ub <= lbmin ||
						(box_rays(s, bb, cx, cy, rho, &j0, &j1) && ub <= range_min(lb, nf, j0, j1)))
						continue;
					if (ncand >= wk->cand_cap &&
						!grow((void **) &wk->cand, &wk->cand_cap, ncand + 1, sizeof(ra_cand)))
						return -1;
					wk->cand[ncand].o = o;
					wk->cand[ncand].d = (float) d;
					ncand++;
					/* (the lowest ray, a quick first test: taken again
					 * now and then, a stale one is still a bound) */
					if (obstacle_lb(ra, o, cx, cy, rho, zhi, dmin, lb, lbs) && ncand % 8 == 0)
					{
						lbmin = lb[0];
						for (int j = 1; j < nf; j++)
							lbmin = lb[j] < lbmin ? lb[j] : lbmin;
					}
				}
		next_cell:
				if (ring == 0)
					break;
			}
		}
	}
	if (ncand > 1)
		qsort(wk->cand, ncand, sizeof(ra_cand), cmp_cand);
	ST(3, ncand);
	ST(4, 1);
	return tile_edges(ra, wk, ncand, cx, cy, rho, zlo, z0, R);
}

/* The skyline of a sample of a tile (ne walls): tangents t[nf]; z relative
 * to the face's origin. */
static void
sample_skyline(const sr_roofarea *ra, ra_work *wk, int i0, int ne, const float *seed,
			   double x, double y, float z)
{
	const ra_sky *s = &ra->sky;
	int			ns = s->ns, m = s->m, i, k;
	float	   *t = wk->t;
	int		   *win = wk->win;
	float		R2 = (float) (ra->o.radius_m * ra->o.radius_m);

	if (seed != t)
		memcpy(t, seed, sizeof(float) * s->nfv);
	memset(win, 0xff, sizeof(int) * s->nfv);	/* (-1) */
	ST(5, 1);
	/* the walls that held the previous sample's skyline first */
	for (i = i0; i < ne; i++)
		if (wk->edge[i].active)
			edge_rays(ra, &wk->edge[i], i, x, y, z, t, win, 0.0f, NULL);
	/* sector minima, and their sparse table (ranges of 2^l sectors) */
	for (k = 0; k < ns; k++)
	{
		float		mm = t[k * m];

		for (int j = 1; j < m; j++)
			mm = t[k * m + j] < mm ? t[k * m + j] : mm;
		wk->smin[k] = wk->smin[k + ns] = mm;
	}
	for (int l = 1; (1 << l) <= ns; l++)
	{
		float	   *a = wk->smin + (size_t) (l - 1) * 2 * ns, *b = a + 2 * ns;
		int			h = 1 << (l - 1);

		/* (a query reads entries whose range ends before 2 ns) */
		for (k = 0; k + 2 * h <= 2 * ns; k++)
			b[k] = a[k] < a[k + h] ? a[k] : a[k + h];
	}
	/* then the others, where they may rise above (sector minima, not
	 * updated as the skyline rises: a looser test, never a wrong one):
	 * first their best over the tile, then their best from here */
	for (i = i0; i < ne; i++)
	{
		ra_edge    *e = &wk->edge[i];
		float		sm, tz, ax, ay, tt, dd, nx, ny, d2;

		if (e->active)
			continue;
		sm = sector_min(wk->smin, ns, e->k0, e->k1);
		if (e->ub <= sm)
			continue;
		tz = e->ztop + (e->dz > 0 ? e->dz : 0.0f) - z;	/* (its highest end) */
		ax = (float) (e->ax - x);
		ay = (float) (e->ay - y);
		dd = e->dx * e->dx + e->dy * e->dy;
		tt = -(ax * e->dx + ay * e->dy) / dd;
		tt = tt < 0 ? 0 : (tt > 1 ? 1 : tt);
		nx = ax + tt * e->dx;
		ny = ay + tt * e->dy;
		d2 = nx * nx + ny * ny;
		if (tz <= 0 || d2 > R2 || tz * tz <= sm * sm * d2)
			continue;
		edge_rays(ra, e, i, x, y, z, t, win, d2 > 0 ? tz / sqrtf(d2) : INFINITY, wk->smin);
		ST(6, 1);
	}
	/* the walls holding the skyline now: one per run of rays (a
	 * compaction without branches), marked */
	{
		int		   *restrict runs = wk->runs;
		int			nr = 0, nfv = s->nfv;

		/* 64 rays at a time: where a ray's wall is not its left
		 * neighbour's (-1 left of the first; the padding holds -1), then
		 * those */
		for (int j0 = 0; j0 < nfv; j0 += 64)
		{
			uint64_t	start = 0;
			int			jn = nfv - j0 < 64 ? nfv - j0 : 64;

			for (int b = 0; b < jn; b += RA_VL)
			{
				ra_vi		cur, left;

				memcpy(&cur, win + j0 + b, sizeof(cur));
				if (j0 + b > 0)
					memcpy(&left, win + j0 + b - 1, sizeof(left));
				else
				{
					ra_vi		l0 = {-1, cur[0], cur[1], cur[2]};

					left = l0;
				}
				start |= (uint64_t) lane_mask((cur != left) & (cur >= 0)) << b;
			}
			while (start)
			{
				runs[nr++] = win[j0 + __builtin_ctzll(start)];
				start &= start - 1;
			}
		}
		wk->nruns = nr;
		for (i = i0; i < ne; i++)
			wk->edge[i].active = 0;
		for (i = 0; i < nr; i++)
			wk->edge[runs[i]].active = 1;
	}
}

/* ---------- irradiation of a sample ---------- */

/* Per sector, the elevation h_eq whose cos^2 is the mean of the sector's
 * rays' (tangent, row, gc = cos^2/2, gs = pi/4 - h/2 - sin(2h)/4), in
 * loops without branches (vectorised). */
static void
sample_sectors(const sr_roofarea *ra, ra_work *wk)
{
	const ra_sky *s = &ra->sky;
	int			ns = s->ns, m = s->m, k, j;
	const float *restrict t = wk->t;
	float	   *restrict teq = wk->teq, *restrict gcs = wk->gcs, *restrict gss = wk->gss;
	int		   *restrict rows = wk->rows;
	float		im = 1.0f / m, ia = s->inv_alpha_rad;

	/* cos^2 of each ray, 1 / (1 + t^2), summed per sector: four sectors
	 * at a time (lane l: sector k + l, its rays gathered in turn) */
	for (k = 0; k + RA_VL <= ns; k += RA_VL)
	{
		ra_vf		c2 = {0.0f, 0.0f, 0.0f, 0.0f};

		for (j = 0; j < m; j++)
		{
			const float *r = t + k * m + j;
			ra_vf		tv = {r[0], r[m], r[2 * m], r[3 * m]};

			c2 += 1.0f / (1.0f + tv * tv);
		}
		c2 *= im;
		memcpy(gcs + k, &c2, sizeof(c2));
	}
	for (; k < ns; k++)
	{
		float		c2 = 0.0f;

		for (j = 0; j < m; j++)
			c2 += 1.0f / (1.0f + t[k * m + j] * t[k * m + j]);
		gcs[k] = c2 * im;
	}
	/* four sectors at a time (the arrays are padded to RA_VL; the padding's
	 * values are never read) */
	for (k = ns; k < (ns + RA_VL - 1) / RA_VL * RA_VL; k++)
		gcs[k] = 1.0f;
	for (k = 0; k < ns; k += RA_VL)
	{
		const ra_vf one = {1.0f, 1.0f, 1.0f, 1.0f}, tiny = {1e-12f, 1e-12f, 1e-12f, 1e-12f};
		const ra_vi top = {NR - 1, NR - 1, NR - 1, NR - 1};
		ra_vf		c2, cc, te, lo, gs;
		ra_vi		ri;

		memcpy(&c2, gcs + k, sizeof(c2));
		cc = vsel(c2 < 1.0f, vsel(c2 > 1e-12f, c2, tiny), one);
		te = vsqrt(1.0f / cc - 1.0f);
		lo = atan_v(te);
		ri = __builtin_convertvector(lo * ia, ra_vi);
		ri = ((ri < top) & ri) | (~(ri < top) & top);
		gs = (float) (SR_PI / 4) - 0.5f * lo - 0.5f * te * cc;
		cc = 0.5f * cc;
		memcpy(teq + k, &te, sizeof(te));
		memcpy(rows + k, &ri, sizeof(ri));
		memcpy(gcs + k, &cc, sizeof(cc));
		memcpy(gss + k, &gs, sizeof(gs));
	}
	/* fewer than RA_NARROW_SECTORS sectors: each sector's terms on its kc
	 * columns (from the last column down: column c reads sector k <= c, not
	 * yet overwritten) */
	if (s->kc > 1)
		for (int c = s->nc - 1; c >= 0; c--)
		{
			int			q = ((c + s->kc / 2) / s->kc) % ns;

			teq[c] = teq[q];
			rows[c] = rows[q];
			gcs[c] = gcs[q];
			gss[c] = gss[q];
		}
}

/* Diffuse of a plane (Wh/m2) from the sample's sector terms. */
static double
plane_diffuse(const ra_work *wk, const ra_plane *p, int ns)
{
	float		d = 0.0f;

	for (int k = 0; k < ns; k++)
	{
		int			r = wk->rows[k];
		float		v = p->C[k * NR + r] + p->A[k * NR + r] * wk->gcs[k] + p->B[k * NR + r] * wk->gss[k];

		d += wk->teq[k] <= p->e0t[k] ? p->e0d[k] : v;
	}
	return d;
}

/* The same for two planes in one pass (their sums, each in plane_diffuse's
 * order, run side by side): d[0] of p0, d[1] of p1. */
static void
plane_diffuse2(const ra_work *wk, const ra_plane *p0, const ra_plane *p1, int ns, double *d)
{
	float		d0 = 0.0f, d1 = 0.0f;

	for (int k = 0; k < ns; k++)
	{
		int			r = wk->rows[k];
		float		gc = wk->gcs[k], gs = wk->gss[k], te = wk->teq[k];
		float		v0 = p0->C[k * NR + r] + p0->A[k * NR + r] * gc + p0->B[k * NR + r] * gs;
		float		v1 = p1->C[k * NR + r] + p1->A[k * NR + r] * gc + p1->B[k * NR + r] * gs;

		d0 += te <= p0->e0t[k] ? p0->e0d[k] : v0;
		d1 += te <= p1->e0t[k] ? p1->e0d[k] : v1;
	}
	d[0] = d0;
	d[1] = d1;
}

/* The face's counts back to an open sky (every sun above every ray). */
static void
beam_reset(const sr_roofarea *ra, ra_work *wk, const ra_plane *p0, const ra_plane *p1)
{
	const ra_sky *s = &ra->sky;

	for (int j = s->nf; j < s->nfv + RA_VL; j++)
	{
		wk->tlo[j] = -INFINITY;	/* (the padding never moves) */
		wk->thi[j] = INFINITY;
	}
	for (int j = 0; j < s->nf; j++)
	{
		int			n = s->cs[j + 1] - s->cs[j];

		wk->cnt[j] = n;
		wk->tlo[j] = -INFINITY;
		wk->thi[j] = n > 0 ? s->stan[s->cs[j + 1] - 1] : INFINITY;
		wk->wset[j] = 0.0;
	}
	wk->wtot = 0.0;
	wk->beam[0] = p0->bopen;
	wk->beam[1] = p1 ? p1->bopen : 0.0;
}

/* The counts of suns above the sample's rays, where a ray left its
 * bracket (the tangents of the suns around it), and the beam of the two
 * planes kept up to date; the sample's weight w (for the months). */
static void
sample_beam(const sr_roofarea *ra, ra_work *wk, const ra_plane *p0, const ra_plane *p1,
			double w)
{
	const ra_sky *s = &ra->sky;
	const float *t = wk->t;
	int			nf = s->nf;

	/* 64 rays at a time: which of them left their bracket (one vector
	 * compare per RA_VL rays, the padding's brackets open), then those */
	for (int j0 = 0; j0 < nf; j0 += 64)
	{
		uint64_t	moved = 0;
		int			jn = nf - j0 < 64 ? nf - j0 : 64;

		for (int b = 0; b < jn; b += RA_VL)
		{
			ra_vf		vt, vlo, vhi;
			ra_vi		mv;

			memcpy(&vt, t + j0 + b, sizeof(vt));
			memcpy(&vlo, wk->tlo + j0 + b, sizeof(vlo));
			memcpy(&vhi, wk->thi + j0 + b, sizeof(vhi));
			mv = (vt < vlo) | (vt >= vhi);
			moved |= (uint64_t) lane_mask(mv) << b;
		}
		while (moved)
		{
			int			j = j0 + __builtin_ctzll(moved);
			int			c = wk->cnt[j], c0 = c, b = s->cs[j] + j, n = s->cs[j + 1] - s->cs[j];
			const float *st = s->stan + s->cs[j];

			moved &= moved - 1;
			/* sun i (0 highest) is seen when its tangent exceeds the ray's */
			while (c > 0 && st[c - 1] <= t[j])
				c--;
			while (c < n && st[c] > t[j])
				c++;
			wk->tlo[j] = c < n ? st[c] : -INFINITY;
			wk->thi[j] = c > 0 ? st[c - 1] : INFINITY;
			if (c == c0)
				continue;
			wk->hist[b + c0] += wk->wtot - wk->wset[j];
			wk->wset[j] = wk->wtot;
			wk->cnt[j] = c;
			wk->beam[0] += (double) p0->cumb[b + c] - p0->cumb[b + c0];
			if (p1)
				wk->beam[1] += (double) p1->cumb[b + c] - p1->cumb[b + c0];
		}
	}
	wk->wtot += w;
}

/* Accumulate the sample's sector terms (weight w) for the face's months:
 * per sector and row, the weight and the weighted gc and gs. */
static void
accumulate(const sr_roofarea *ra, ra_work *wk, const ra_plane *p, double w)
{
	const ra_sky *s = &ra->sky;
	double	   *acc = wk->acc;
	/* (a cast lattice sample of the smooth cells: its terms kept too) */
	size_t		q = wk->tslot >= 0 ? (size_t) wk->tslot * s->nc : 0;
	uint8_t    *tr = wk->tslot >= 0 ? wk->tr + q : NULL;
	float	   *tgc = tr ? wk->tgc + q : NULL, *tgs = tr ? wk->tgs + q : NULL;

	for (int k = 0; k < s->nc; k++)
	{
		int			back = wk->teq[k] <= p->e0t[k];
		int			r = back ? p->e0r[k] : wk->rows[k];
		double		gc = back ? p->e0gc[k] : wk->gcs[k];
		double		gs = back ? p->e0gs[k] : wk->gss[k];
		size_t		a = 3 * ((size_t) k * NR + r);

		acc[a] += w;
		acc[a + 1] += w * gc;
		acc[a + 2] += w * gs;
		if (tr)
		{
			tr[k] = (uint8_t) r;
			tgc[k] = (float) gc;	/* (a float's value: exact) */
			tgs[k] = (float) gs;
		}
	}
}

/* The face's months (Wh/m2, area means over wsum) from the accumulators;
 * resets them. */
static void
face_months(const sr_roofarea *ra, ra_work *wk, const ra_plane *p, double wsum, double *monthly)
{
	const ra_sky *s = &ra->sky;
	double		mo[12] = {0};
	int			j, mm;

	for (int a = 0; a < s->nc * NR; a++)
	{
		int			r = a % NR;
		const double *W = s->w + (size_t) a * NC;
		const double *Ab = s->above + (size_t) a * NC;
		double		n = wk->acc[3 * a], sgc = wk->acc[3 * a + 1], sgs = wk->acc[3 * a + 2];
		double		gtc, gts;

		if (n == 0)
			continue;
		g_top(s, r, &gtc, &gts);
		for (mm = 0; mm < 12; mm++)
			mo[mm] += n * (p->k0 * (Ab[mm] - W[mm] * gtc) + p->k1 * (Ab[12 + mm] - W[12 + mm] * gts) +
						   p->k2 * (Ab[24 + mm] - W[24 + mm] * gts)) +
				sgc * p->k0 * W[mm] + sgs * (p->k1 * W[12 + mm] + p->k2 * W[24 + mm]);
	}
	memset(wk->acc, 0, sizeof(double) * 3 * (size_t) s->nc * NR);
	/* beam: the weights still pending on each column's count, then a sun
	 * is seen by the samples whose count passes it */
	for (j = 0; j < s->nf; j++)
	{
		int			s0 = s->cs[j], n = s->cs[j + 1] - s0;
		double		seen = 0.0;
		double	   *h = wk->hist + s0 + j;

		h[wk->cnt[j]] += wk->wtot - wk->wset[j];
		for (int c = n; c >= 1; c--)
		{
			int			q = s0 + c - 1;
			double		v;

			seen += h[c];
			h[c] = 0.0;
			v = p->vq[q];		/* (plane_fill) */
			if (v > 0)
				mo[s->smon[q]] += seen * v;
		}
		h[0] = 0.0;
	}
	for (mm = 0; mm < 12; mm++)
		monthly[mm] = (wsum > 0 ? mo[mm] / wsum : 0.0) + p->ground_m[mm];
}

/* ---------- sampling a face ---------- */

/* Plane frame of a face: origin o, in-plane unit vectors eu (horizontal)
 * and ev (up the slope; on a flat roof, across its longest edge). */
typedef struct ra_frame
{
	double		o[3], eu[3], ev[3];
} ra_frame;
static void
face_frame(const sr_face_info *fi, const sr_mpoly *g, ra_frame *fr)
{
	double		b = fi->tilt * SR_DEG2RAD, ga = fi->azimuth * SR_DEG2RAD;

	fr->o[0] = fi->x;
	fr->o[1] = fi->y;
	fr->o[2] = fi->z;
	if (fi->tilt <= 1e-9)
	{
		/* flat: along the exterior ring's longest edge */
		int			p0 = g->ring_pt_start[g->poly_ring_start[fi->poly]];
		int			p1 = g->ring_pt_start[g->poly_ring_start[fi->poly] + 1];
		double		best = 0.0, ux = 1.0, uy = 0.0;

		for (int i = p0; i + 1 < p1; i++)
		{
			double		dx = g->xyz[3 * (i + 1)] - g->xyz[3 * i];
			double		dy = g->xyz[3 * (i + 1) + 1] - g->xyz[3 * i + 1];
			double		l = dx * dx + dy * dy;

			if (l > best)
			{
				best = l;
				ux = dx / sqrt(l);
				uy = dy / sqrt(l);
			}
		}
		fr->eu[0] = ux;
		fr->eu[1] = uy;
		fr->eu[2] = 0.0;
		fr->ev[0] = -uy;
		fr->ev[1] = ux;
		fr->ev[2] = 0.0;
		return;
	}
	/* the contour, and up the slope (the face looks down towards ga) */
	fr->eu[0] = cos(ga);
	fr->eu[1] = -sin(ga);
	fr->eu[2] = 0.0;
	fr->ev[0] = -sin(ga) * cos(b);
	fr->ev[1] = -cos(ga) * cos(b);
	fr->ev[2] = sin(b);
}

/*
 * The spacing for a grid of w x h (m) so that it holds at most cap cells:
 * sp itself when it does, else the least s with (w/s + 1)(h/s + 1) <= cap
 * (the ceilings' bound), solved in the form that does not cancel.  The area
 * rule keeps a compact face's cells near max_samples; this bounds a face
 * whose outline's box is out of proportion to its area (a zero-area spike
 * of an invalid ring, a near-vertical face whose vertices off its plane
 * lift far along it), so that its memory and time stay bounded and no size
 * overflows.
 */
static double
box_spacing(double w, double h, double sp, double cap)
{
	double		t,
				s;

	if (ceil(w / sp) * ceil(h / sp) <= cap)
		return sp;
	t = 2.0 * (cap - 1.0) / ((w + h) + sqrt((w + h) * (w + h) + 4.0 * w * h * (cap - 1.0)));
	s = fmax(sp, 1.0 / t);
	while (ceil(w / s) * ceil(h / s) > cap)
		s *= 1.0 + 1e-6;
	return s;
}

/* Sample face fi: cells of side *spp in its plane (widened by box_spacing
 * for an outline out of proportion to its area), RA_K x RA_K sub-samples
 * each for the share of the face and of the usable area (beyond setback)
 * it holds; returns the number of samples, at least one (weights sum to
 * the face's area), or -1 out of memory. */
static int
face_samples(ra_work *ra, const sr_cadastre_opts *o, const sr_face_info *fi, const sr_mpoly *g,
			 const ra_frame *fr, double *spp)
{
	double		sp = *spp;
	int			r0 = g->poly_ring_start[fi->poly], r1 = g->poly_ring_start[fi->poly + 1];
	double		umin = INFINITY, umax = -INFINITY, vmin = INFINITY, vmax = -INFINITY;
	double		sb = o->setback_m, h = sp / RA_K;
	int			nu, nv, nuf, nvf, i, r, n = 0, nin = 0;
	double		flat = fi->tilt <= 1e-9;
	double	   *uv;
	int			nuv = 0;

	/* rings in plane coordinates: each vertex lifted vertically onto the
	 * face's plane (eu is horizontal; a step v up the slope moves v |ev_xy|
	 * across), so that the cells cover the face's outline as a map shows it
	 * even when its vertices are not quite in one plane (a footprint's
	 * vertices at uneven heights) */
	for (r = r0; r < r1; r++)
		nuv += g->ring_pt_start[r + 1] - g->ring_pt_start[r];
	if (!grow((void **) &ra->cross, &ra->cross_cap, 3 * nuv + 64, sizeof(double)))
		return -1;
	uv = ra->cross;
	for (r = r0, i = 0; r < r1; r++)
		for (int q = g->ring_pt_start[r]; q < g->ring_pt_start[r + 1]; q++, i++)
		{
			double		dx = g->xyz[3 * q] - fr->o[0], dy = g->xyz[3 * q + 1] - fr->o[1];
			double		c2 = fr->ev[0] * fr->ev[0] + fr->ev[1] * fr->ev[1];

			uv[2 * i] = dx * fr->eu[0] + dy * fr->eu[1];
			uv[2 * i + 1] = (dx * fr->ev[0] + dy * fr->ev[1]) / (flat ? 1.0 : c2);
			if (r == r0)
			{
				umin = fmin(umin, uv[2 * i]);
				umax = fmax(umax, uv[2 * i]);
				vmin = fmin(vmin, uv[2 * i + 1]);
				vmax = fmax(vmax, uv[2 * i + 1]);
			}
		}
	ra->fine_in = 0;
	if (!(umax > umin && vmax > vmin))
	{
		/* no extent in its plane (a vertical face: its outline lifted
		 * vertically is a segment): its centre, as a thin one's below */
		if (!grow((void **) &ra->samp, &ra->samp_cap, 2, sizeof(ra_samp)) ||
			!grow((void **) &ra->cell, &ra->cell_cap, 2, sizeof(int)))
			return -1;
		goto centre;
	}
	sp = *spp = box_spacing(umax - umin, vmax - vmin, sp, RA_BOX_CELLS * (double) o->max_samples);
	/* a whole number of cells up to the rounding of the outline's
	 * coordinates (a 20 m edge turned by a convergence measures 20 +
	 * 1e-14 m) is that number, not one more */
	nu = (int) ceil((umax - umin) / sp - 1e-9);
	nv = (int) ceil((vmax - vmin) / sp - 1e-9);
	nu = nu < 1 ? 1 : nu;
	nv = nv < 1 ? 1 : nv;
	/* centre the cells on the face's box */
	umin -= 0.5 * (nu * sp - (umax - umin));
	vmin -= 0.5 * (nv * sp - (vmax - vmin));
	nuf = nu * RA_K;
	nvf = nv * RA_K;
	if ((size_t) nuf * nvf > ra->fine_cap)
	{
		size_t		c = (size_t) nuf * nvf + 1024;
		uint8_t    *nb = ra_realloc(ra->fine, c);

		if (!nb)
			return -1;
		ra->fine = nb;
		ra->fine_cap = c;
	}
	memset(ra->fine, 0, (size_t) nuf * nvf);
	/* inside: scanlines at the sub-sample rows (even-odd over all rings) */
	{
		double	   *xs = uv + 2 * nuv;
		int			nx;

		for (int fj = 0; fj < nvf; fj++)
		{
			double		v = vmin + (fj + 0.5) * h;

			nx = 0;
			for (r = r0, i = 0; r < r1; r++)
			{
				int			np = g->ring_pt_start[r + 1] - g->ring_pt_start[r];

				for (int q = 0; q + 1 < np; q++)
				{
					double		ua = uv[2 * (i + q)], va = uv[2 * (i + q) + 1];
					double		ub = uv[2 * (i + q + 1)], vb = uv[2 * (i + q + 1) + 1];

					if ((va > v) != (vb > v))
					{
						if (nx >= nuv + 64)
							break;
						xs[nx++] = ua + (v - va) * (ub - ua) / (vb - va);
					}
				}
				i += np;
			}
			qsort(xs, nx, sizeof(double), cmp_double);
			for (int q = 0; q + 1 < nx; q += 2)
			{
				int			a = (int) ceil((xs[q] - umin) / h - 0.5);
				int			b = (int) floor((xs[q + 1] - umin) / h - 0.5);

				a = a < 0 ? 0 : a;
				b = b >= nuf ? nuf - 1 : b;
				for (int fi2 = a; fi2 <= b; fi2++)
					ra->fine[(size_t) fj * nuf + fi2] = 1;
			}
		}
	}
	/* setback: sub-samples nearer than sb to an edge */
	if (sb > 0)
		for (r = r0, i = 0; r < r1; r++)
		{
			int			np = g->ring_pt_start[r + 1] - g->ring_pt_start[r];

			for (int q = 0; q + 1 < np; q++)
			{
				double		ua = uv[2 * (i + q)], va = uv[2 * (i + q) + 1];
				double		ub = uv[2 * (i + q + 1)], vb = uv[2 * (i + q + 1) + 1];
				double		du = ub - ua, dv = vb - va, dd = du * du + dv * dv;
				int			a0 = (int) floor((fmin(ua, ub) - sb - umin) / h - 0.5);
				int			a1 = (int) ceil((fmax(ua, ub) + sb - umin) / h - 0.5);
				int			b0 = (int) floor((fmin(va, vb) - sb - vmin) / h - 0.5);
				int			b1 = (int) ceil((fmax(va, vb) + sb - vmin) / h - 0.5);

				a0 = a0 < 0 ? 0 : a0;
				b0 = b0 < 0 ? 0 : b0;
				a1 = a1 >= nuf ? nuf - 1 : a1;
				b1 = b1 >= nvf ? nvf - 1 : b1;
				for (int fj = b0; fj <= b1; fj++)
					for (int fi2 = a0; fi2 <= a1; fi2++)
					{
						uint8_t    *f = &ra->fine[(size_t) fj * nuf + fi2];
						double		pu, pv, t;

						if (*f != 1)
							continue;
						pu = umin + (fi2 + 0.5) * h - ua;
						pv = vmin + (fj + 0.5) * h - va;
						t = dd > 0 ? (pu * du + pv * dv) / dd : 0.0;
						t = t < 0 ? 0 : (t > 1 ? 1 : t);
						pu -= t * du;
						pv -= t * dv;
						if (pu * pu + pv * pv < sb * sb)
							*f = 2;
					}
			}
			i += np;
		}
	/* the cells */
	if (!grow((void **) &ra->samp, &ra->samp_cap, nu * nv + 1, sizeof(ra_samp)) ||
		!grow((void **) &ra->cell, &ra->cell_cap, nu * nv + 1, sizeof(int)))
		return -1;
	ra->nu = nu;
	ra->nv = nv;
	for (int cj = 0; cj < nv; cj++)
		for (int ci = 0; ci < nu; ci++)
		{
			int			in = 0, us = 0;
			double		su = 0, sv = 0;
			ra_samp    *sa;

			for (int b = 0; b < RA_K; b++)
				for (int a = 0; a < RA_K; a++)
				{
					uint8_t		f = ra->fine[(size_t) (cj * RA_K + b) * nuf + ci * RA_K + a];

					if (f)
					{
						in++;
						us += f == 1;
						su += umin + (ci * RA_K + a + 0.5) * h;
						sv += vmin + (cj * RA_K + b + 0.5) * h;
					}
				}
			ra->cell[cj * nu + ci] = in ? n : -1;
			if (in == 0)
				continue;
			sa = &ra->samp[n++];
			sa->ci = ci;
			sa->cj = cj;
			sa->sub = -1;
			sa->mode = 0;
			sa->sl = -1;
			/* where the skyline is cast: the centroid of the part inside */
			su /= in;
			sv /= in;
			sa->u = umin + (ci + 0.5) * sp;
			sa->v = vmin + (cj + 0.5) * sp;
			sa->x = fr->o[0] + su * fr->eu[0] + sv * fr->ev[0];
			sa->y = fr->o[1] + su * fr->eu[1] + sv * fr->ev[1];
			sa->z = fr->o[2] + su * fr->eu[2] + sv * fr->ev[2];
			sa->w = in;
			sa->wu = sb > 0 ? us : in;
			nin += in;
		}
centre:
	if (n == 0)
	{
		/* thinner than the sub-samples: one sample at its centre */
		ra_samp    *sa = &ra->samp[n++];

		sa->u = sa->v = 0.0;
		sa->x = fr->o[0];
		sa->y = fr->o[1];
		sa->z = fr->o[2];
		sa->w = 1;
		sa->wu = sb > 0 ? 0 : 1;
		sa->ci = sa->cj = 0;
		sa->sub = -1;
		sa->mode = 0;
		sa->sl = -1;
		ra->nu = ra->nv = 1;
		ra->cell[0] = 0;
		nin = 1;
	}
	else
	{
		ra->gu0 = umin;
		ra->gv0 = vmin;
		ra->gsp = sp;
		ra->fine_in = nin;
	}
	for (i = 0; i < n; i++)
	{
		ra->samp[i].w *= fi->area3 / nin;
		ra->samp[i].wu *= fi->area3 / nin;
	}
	return n;
}



/* ---------- a face ---------- */

/* Append to wk->ord (from no on) the face's cells whose mark in wk->dflag
 * is want, tile by tile (tiles of wk->tc cells; within a tile row by row,
 * back and forth: each cell next to the previous one), the start of each
 * tile's group in wk->tb (from wk->ntb on).  The new end of wk->ord. */
static int
tile_walk(ra_work *wk, uint8_t want, int no)
{
	int			nu = wk->nu, nv = wk->nv, tc = wk->tc;

	for (int tj = 0; tj * tc < nv; tj++)
		for (int ti = 0; ti * tc < nu; ti++)
		{
			int			start = no, end = (ti + 1) * tc < nu ? (ti + 1) * tc : nu;

			for (int cj = tj * tc; cj < nv && cj < (tj + 1) * tc; cj++)
				for (int q = 0; q < tc && ti * tc + q < nu; q++)
				{
					int			ci = (cj & 1) ? end - 1 - q : ti * tc + q;
					int			k = wk->cell[cj * nu + ci];

					if (k >= 0 && wk->dflag[cj * nu + ci] == want)
						wk->ord[no++] = k;
				}
			if (no > start)
				wk->tb[wk->ntb++] = start;
		}
	return no;
}

/*
 * Sunny edges.  A cell whose PV-plane irradiation and one of its four
 * neighbours' lie on either side of the threshold thr holds a shadow's
 * edge that the sunny area depends on: it gets 2 x 2 exact sub-samples,
 * one per quarter of the cell (cast at the centroid of the quarter's part
 * inside the face), and its RA_K x RA_K fine sub-samples are interpolated
 * between those instead of between the cells' centres (sunny_fine).  The
 * edge is then placed at half the spacing where it matters, at the cost
 * of four samples per edge cell only.  The sub-samples weigh nothing in
 * the face's means, percentiles and months (w = 0); a quarter wholly
 * outside the face has no sub-sample (pv NaN); one in the setback has
 * (its value steers the fine sub-samples next to it).  adj: the trees'
 * factors, as on the cells (trees_apply).  Returns the number of edge cells, -1 out of
 * memory.
 */
static sr_status face_run(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int excl,
						  const ra_plane *pr, const ra_plane *pm, int adapt, sr_err *err);

/*
 * The trees on samples sa[0 .. n): each sample's irradiation (roof plane,
 * PV plane) times the trees' factors, interpolated bilinearly on adj's
 * lattice at the sample's (x, y) (clamped to the lattice); none without
 * a lattice.  A sample without a value (NaN) keeps it.
 */
static void
trees_apply(const sr_roofarea_adj *adj, ra_samp *sa, int n)
{
	const sr_tree_lattice *t = &adj->trees;

	if (t->nx <= 0 || t->ny <= 0 || !t->f)
		return;
	for (int k = 0; k < n; k++)
	{
		double		gx = (sa[k].x - t->x0) / t->step, gy = (sa[k].y - t->y0) / t->step;
		int			i0, j0, i1, j1;
		double		a, b, f[2];

		gx = fmin(fmax(gx, 0.0), t->nx - 1);
		gy = fmin(fmax(gy, 0.0), t->ny - 1);
		i0 = (int) gx;
		j0 = (int) gy;
		i1 = i0 + 1 < t->nx ? i0 + 1 : i0;
		j1 = j0 + 1 < t->ny ? j0 + 1 : j0;
		a = gx - i0;
		b = gy - j0;
		for (int q = 0; q < 2; q++)
			f[q] = (1 - b) * ((1 - a) * t->f[2 * (j0 * t->nx + i0) + q] + a * t->f[2 * (j0 * t->nx + i1) + q])
				+ b * ((1 - a) * t->f[2 * (j1 * t->nx + i0) + q] + a * t->f[2 * (j1 * t->nx + i1) + q]);
		sa[k].irr *= f[0];
		sa[k].pv *= f[1];
	}
}

static int
face_refine(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int excl,
			const ra_plane *pr, const ra_plane *pm, int n, double thr,
			const sr_roofarea_adj *adj, sr_err *err)
{
	const ra_sky *s = &ra->sky;
	int			nu = wk->nu, nv = wk->nv, nuf = nu * RA_K, ne = 0, m, no = 0;
	double		h = wk->gsp / RA_K;

	if (!(thr > -INFINITY) || wk->fine_in <= 0 || n < 2)
		return 0;
	/* the edge cells marked in wk->dflag (face_order's marks are spent) */
	memset(wk->dflag, 0, (size_t) nu * nv);
	for (int cj = 0; cj < nv; cj++)
		for (int ci = 0; ci < nu; ci++)
		{
			int			k = wk->cell[cj * nu + ci], edge = 0;

			if (k < 0 || !(wk->samp[k].wu > 0))
				continue;			/* (in the setback: not in the sunny area) */
			for (int d = 0; d < 4 && !edge; d++)
			{
				int			i2 = ci + (d == 0) - (d == 1), j2 = cj + (d == 2) - (d == 3), k2;

				if (i2 < 0 || j2 < 0 || i2 >= nu || j2 >= nv)
					continue;
				k2 = wk->cell[j2 * nu + i2];
				edge = k2 >= 0 && (wk->samp[k].pv >= thr) != (wk->samp[k2].pv >= thr);
			}
			wk->dflag[cj * nu + ci] = (uint8_t) edge;
			ne += edge;
		}
	if (ne == 0)
		return 0;
	m = n + 4 * ne;
	if (!grow((void **) &wk->samp, &wk->samp_cap, m, sizeof(ra_samp)) ||
		!grow((void **) &wk->ord, &wk->ord_cap, m, sizeof(int)) ||
		!grow((void **) &wk->tb, &wk->tb_cap, n + 2, sizeof(int)))
		return -1;
	/* the edge cells tile by tile (each tile's obstacle search and far
	 * skyline shared by its sub-samples, as face_run does for cells),
	 * moved to the end of ord, where their sub-samples, written from the
	 * start, never catch up with them (at most 4 per cell) */
	wk->ntb = 0;
	wk->nlb = 0;
	tile_walk(wk, 1, 0);
	memmove(wk->ord + 4 * ne, wk->ord, sizeof(int) * ne);
	m = n;
	for (int g = 0, i = 0; g < wk->ntb; g++)
	{
		int			end = g + 1 < wk->ntb ? wk->tb[g + 1] : ne;

		wk->tb[g] = no;
		for (; i < end; i++)
		{
			int			k = wk->ord[4 * ne + i], ci = wk->samp[k].ci, cj = wk->samp[k].cj;

			wk->samp[k].sub = m;
			for (int c = 0; c < 4; c++)
			{
				ra_samp    *sb = &wk->samp[m + c];
				int			in = 0, h2 = RA_K / 2;
				double		su = 0, sv = 0;

				*sb = wk->samp[k];
				sb->sub = -1;
				sb->w = sb->wu = 0.0;
				sb->irr = sb->pv = NAN;
				for (int b = (c >> 1) * h2; b < ((c >> 1) + 1) * h2; b++)
					for (int a = (c & 1) * h2; a < ((c & 1) + 1) * h2; a++)
						if (wk->fine[(size_t) (cj * RA_K + b) * nuf + ci * RA_K + a])
						{
							in++;
							su += wk->gu0 + (ci * RA_K + a + 0.5) * h;
							sv += wk->gv0 + (cj * RA_K + b + 0.5) * h;
						}
				if (in == 0)
					continue;
				su /= in;
				sv /= in;
				sb->x = fr->o[0] + su * fr->eu[0] + sv * fr->ev[0];
				sb->y = fr->o[1] + su * fr->eu[1] + sv * fr->ev[1];
				sb->z = fr->o[2] + su * fr->eu[2] + sv * fr->ev[2];
				wk->ord[no++] = m + c;
			}
			m += 4;
		}
	}
	wk->tb[wk->ntb] = no;
	/* the weights still pending on each column's count go to the months
	 * before face_run opens the sky again (the sub-samples add none) */
	for (int j = 0; j < s->nf; j++)
	{
		wk->hist[s->cs[j] + j + wk->cnt[j]] += wk->wtot - wk->wset[j];
		wk->wset[j] = wk->wtot;
	}
	if (face_run(ra, wk, fr, excl, pr, pm, 0, err) != SR_OK)
		return -1;
	trees_apply(adj, wk->samp + n, m - n);
	return ne;
}

/*
 * The sunny area at the sub-samples' resolution: each usable sub-sample
 * (RA_K x RA_K per cell) takes the PV-plane irradiation interpolated
 * bilinearly between the centres of the cells around it (those of the
 * face), and counts when it reaches thr.  A shadow's edge then cuts a
 * cell where the irradiation crosses thr instead of at a cell's side:
 * at 1 m, the sunny area of small shaded roofs moves by several % less
 * than the cells' own classification (docs/cadastre.md).  w: a
 * sub-sample's area; *sunny (m2) and *pvsum (Wh/m2 x m2) replaced.
 */
static void
sunny_fine(ra_work *wk, double thr, double w, double *sunny, double *pvsum)
{
	int			nu = wk->nu, nv = wk->nv, nuf = nu * RA_K, nc = nu * nv;
	double		s = 0.0, ps = 0.0;
	/* each cell's PV value, whether it holds sub-samples, and whether the
	 * four cells from it up and right are all the face's (qd, shifted by
	 * one: qd[j nu + i + 1] for i from -1), read once (in wk->vals:
	 * face_compute sized it; the percentiles are done) */
	double	   *pc = wk->vals;
	uint8_t    *hs = (uint8_t *) (wk->vals + nc), *qd = hs + nc;

	for (int c = 0; c < nc; c++)
	{
		int			k = wk->cell[c];

		pc[c] = k >= 0 ? wk->samp[k].pv : 0.0;
		hs[c] = k >= 0 && wk->samp[k].sub >= 0;
	}
	qd[0] = 0;
	for (int j = 0; j < nv; j++)
		for (int i = 0; i < nu; i++)
		{
			const int  *cl = wk->cell + j * nu + i;

			qd[j * nu + i + 1] = i + 1 < nu && j + 1 < nv &&
				(cl[0] | cl[1] | cl[nu] | cl[nu + 1]) >= 0;
		}
	for (int fj = 0; fj < nv * RA_K; fj++)
	{
		/* (fj + 1/2) / K - 1/2 cells from the first cell's centre */
		double		fv = (fj + 0.5) / RA_K - 0.5;
		int			j0 = (int) floor(fv);
		double		tv = fv - j0, wq[RA_K][4];
		const uint8_t *frow = wk->fine + (size_t) fj * nuf;
		const uint8_t *hrow = hs + (size_t) (fj / RA_K) * nu;
		/* (row j0 = -1: no four cells) */
		const uint8_t *qrow = j0 >= 0 ? qd + (size_t) j0 * nu : NULL;
		const double *prow = pc + (size_t) (j0 >= 0 ? j0 : 0) * nu;

		/* the four corners' weights of the sub-samples at fi % K: the same
		 * for every cell of the row (tu, a multiple of 1 / 2K, exact) */
		for (int a = 0; a < RA_K; a++)
		{
			double		fu = (RA_K + a + 0.5) / RA_K - 0.5, tu = fu - floor(fu);

			wq[a][0] = (1 - tu) * (1 - tv);
			wq[a][1] = tu * (1 - tv);
			wq[a][2] = (1 - tu) * tv;
			wq[a][3] = tu * tv;
		}
		for (int ci = 0; ci < nu; ci++)
			for (int a = 0; a < RA_K; a++)
			{
				int			fi = ci * RA_K + a;

				/* floor(fu): the cell whose centre is at or left of it */
				int			i0 = a < RA_K / 2 ? ci - 1 : ci;
				double		fu, tu, acc = 0.0, wsum = 0.0, v;

				if (frow[fi] != 1)
					continue;
				if (hrow[ci])
				{
					/* a sunny edge's cell: between its own four
					 * sub-samples (at a quarter cell from its centre;
					 * clamped) */
					int			kc = wk->cell[(fj / RA_K) * nu + ci];
					const ra_samp *sb = &wk->samp[wk->samp[kc].sub];
					double		su = ((a + 0.5) / RA_K - 0.25) * 2.0;
					double		sv = ((fj % RA_K + 0.5) / RA_K - 0.25) * 2.0;

					su = su < 0 ? 0 : (su > 1 ? 1 : su);
					sv = sv < 0 ? 0 : (sv > 1 ? 1 : sv);
					for (int c = 0; c < 4; c++)
					{
						double		wc = ((c & 1) ? su : 1 - su) * ((c >> 1) ? sv : 1 - sv);

						if (wc > 0 && !isnan(sb[c].pv))
						{
							acc += wc * sb[c].pv;
							wsum += wc;
						}
					}
					v = wsum > 0 ? acc / wsum : wk->samp[kc].pv;
					if (v >= thr)
					{
						s += w;
						ps += w * v;
					}
					continue;
				}
				if (qrow && qrow[i0 + 1])
				{
					/* the four cells of the face (the loop below's sum,
					 * whose weights, multiples of 1 / 64, sum to 1
					 * exactly) */
					const double *pv = prow + i0, *q = wq[a];

					v = q[0] * pv[0] + q[1] * pv[1] + q[2] * pv[nu] + q[3] * pv[nu + 1];
					if (v >= thr)
					{
						s += w;
						ps += w * v;
					}
					continue;
				}
				fu = (fi + 0.5) / RA_K - 0.5;
				tu = fu - i0;
				for (int c = 0; c < 4; c++)
				{
					int			ci2 = i0 + (c & 1), cj = j0 + (c >> 1), k;
					double		wc = ((c & 1) ? tu : 1 - tu) * ((c >> 1) ? tv : 1 - tv);

					if (ci2 < 0 || cj < 0 || ci2 >= nu || cj >= nv || wc <= 0)
						continue;
					k = wk->cell[cj * nu + ci2];
					if (k < 0)
						continue;
					acc += wc * pc[cj * nu + ci2];
					wsum += wc;
				}
				if (!(wsum > 0))
				{
					int			k = wk->cell[(fj / RA_K) * nu + ci];

					v = k >= 0 ? pc[(fj / RA_K) * nu + ci] : 0.0;
				}
				else
					v = acc / wsum;
				if (v >= thr)
				{
					s += w;
					ps += w * v;
				}
			}
	}
	*sunny = s;
	*pvsum = ps;
}

/* weighted percentile of (value, weight) pairs sorted by value */
static double
wpercentile(const double *vw, int n, double total, double f)
{
	double		acc = 0.0, target = f * total;

	for (int i = 0; i < n; i++)
	{
		acc += vw[2 * i + 1];
		if (acc >= target - 1e-9 * total)
			return vw[2 * i];
	}
	return n > 0 ? vw[2 * (n - 1)] : NAN;
}

static int
cmp_pair(const void *a, const void *b)
{
	double		x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* The order of the face's samples in wk->ord: first the exact ones, tile
 * by tile (tiles of tile_m, within a tile row by row, back and forth:
 * each sample next to the previous one), then the derived ones, lattice
 * cell by lattice cell.  A sample is derived when it is not on the lattice
 * (every lat cells) and the four lattice samples around it exist.  Tile
 * and lattice-cell boundaries in wk->tb (ntb exact groups, then nlb
 * derived ones).  -1 out of memory. */
static int
face_order(const sr_roofarea *ra, ra_work *wk, int n, double sp)
{
	int			nu = wk->nu, nv = wk->nv, L = ra->lat, no = 0;
	int			tc = (int) (ra->tile_m / sp);
	int			nlu = L > 1 ? (nu - 1) / L : 0, nlv = L > 1 ? (nv - 1) / L : 0;

	/* (a multiple of the lattice: a derived sample's lower-left lattice
	 * corner is in its own tile) */
	tc = tc < L ? L : tc - tc % L;
	wk->tc = tc;
	wk->ntu = (nu + tc - 1) / tc;
	if (!grow((void **) &wk->ord, &wk->ord_cap, n + 1, sizeof(int)) ||
		!grow((void **) &wk->tb, &wk->tb_cap, n + 2, sizeof(int)) ||
		!grow((void **) &wk->dflag, &wk->dflag_cap, nu * nv + 1, sizeof(uint8_t)))
		return -1;
	/* derived: in a lattice cell whose four corners exist */
	memset(wk->dflag, 0, (size_t) nu * nv);
	for (int lj = 0; lj < nlv; lj++)
		for (int li = 0; li < nlu; li++)
		{
			int			ci0 = li * L, cj0 = lj * L;

			if (wk->cell[cj0 * nu + ci0] < 0 || wk->cell[cj0 * nu + ci0 + L] < 0 ||
				wk->cell[(cj0 + L) * nu + ci0] < 0 || wk->cell[(cj0 + L) * nu + ci0 + L] < 0)
				continue;
			for (int cj = cj0; cj < cj0 + L; cj++)
				for (int ci = ci0; ci < ci0 + L; ci++)
					if ((ci != ci0 || cj != cj0) && wk->cell[cj * nu + ci] >= 0)
						wk->dflag[cj * nu + ci] = 1;
		}
	wk->ntb = 0;
	no = tile_walk(wk, 0, 0);
	wk->nex = no;
	wk->nlb = 0;
	for (int lj = 0; lj < nlv; lj++)
		for (int li = 0; li < nlu; li++)
		{
			int			start = no;

			for (int cj = lj * L; cj < (lj + 1) * L; cj++)
				for (int ci = li * L; ci < (li + 1) * L; ci++)
					if (wk->dflag[cj * nu + ci])
						wk->ord[no++] = wk->cell[cj * nu + ci];
			if (no > start)
				wk->tb[wk->ntb + wk->nlb++] = start;
		}
	wk->tb[wk->ntb + wk->nlb] = no;
	if (n == 1 && no == 0)
	{
		/* (the one sample of a face thinner than the sub-samples) */
		wk->ord[no++] = 0;
		wk->tb[0] = 0;
		wk->ntb = 1;
		wk->nex = 1;
		wk->tb[1] = 1;
	}
	return no;
}

/* The number of a tile's wall in the face's table (added when new). */
static int
face_edge(ra_work *wk, ra_edge *e)
{
	unsigned	h;

	if (e->fid >= 0)
		return e->fid;
	if (2 * (wk->nfe + 1) > wk->fh_cap)
	{
		/* (re)hash into a table twice as large */
		int			cap = wk->fh_cap ? 2 * wk->fh_cap : 1024;
		int		   *nh = ra_realloc(wk->fh, sizeof(int) * cap);

		if (!nh)
			return -1;
		wk->fh = nh;
		wk->fh_cap = cap;
		for (int i = 0; i < cap; i++)
			nh[i] = -1;
		for (int f = 0; f < wk->nfe; f++)
		{
			h = ((unsigned) wk->fe[f].q * 2654435761u) & (unsigned) (cap - 1);
			while (nh[h] >= 0)
				h = (h + 1) & (unsigned) (cap - 1);
			nh[h] = f;
		}
	}
	h = ((unsigned) e->q * 2654435761u) & (unsigned) (wk->fh_cap - 1);
	while (wk->fh[h] >= 0 && wk->fe[wk->fh[h]].q != e->q)
		h = (h + 1) & (unsigned) (wk->fh_cap - 1);
	if (wk->fh[h] < 0)
	{
		if (!grow((void **) &wk->fe, &wk->fe_cap, wk->nfe + 1, sizeof(ra_edge)) ||
			!grow((void **) &wk->seen, &wk->seen_cap, wk->nfe + 1, sizeof(int)))
			return -1;
		wk->fe[wk->nfe] = *e;
		wk->seen[wk->nfe] = 0;
		wk->fh[h] = wk->nfe++;
	}
	e->fid = wk->fh[h];
	return e->fid;
}

/* The irradiation of the sample from its skyline in wk->t. */
static inline void
sample_irradiation(const sr_roofarea *ra, ra_work *wk, ra_samp *sa, const ra_plane *pr,
				   const ra_plane *pm)
{
	if (wk->floor_tan)
	{
		/* the terrain's far horizon under the buildings' skyline */
		for (int j = 0; j < ra->sky.nf; j++)
			wk->t[j] = wk->t[j] > wk->floor_tan[j] ? wk->t[j] : wk->floor_tan[j];
	}
	sample_sectors(ra, wk);
	sample_beam(ra, wk, pr, pm, sa->w);
	if (pm)
	{
		double		d[2];

		plane_diffuse2(wk, pr, pm, ra->sky.nc, d);
		sa->irr = d[0] + wk->beam[0] + pr->ground_a;
		sa->pv = d[1] + wk->beam[1] + pm->ground_a;
	}
	else
	{
		sa->irr = plane_diffuse(wk, pr, ra->sky.nc) + wk->beam[0] + pr->ground_a;
		sa->pv = sa->irr;
	}
	accumulate(ra, wk, pr, sa->w);
}

/* The rays of a wall from anywhere in a disc (cx, cy, rho): its blocks
 * (b1 may pass the last: wraps), all of them when the disc is too near. */
static void
edge_blocks(const ra_sky *s, const ra_edge *e, double cx, double cy, double rho, int *b0,
			int *b1)
{
	double		bb[4];
	int			j0, j1, nb = s->nfv / RA_VL;

	bb[0] = fmin(e->ax, e->ax + e->dx);
	bb[1] = fmin(e->ay, e->ay + e->dy);
	bb[2] = fmax(e->ax, e->ax + e->dx);
	bb[3] = fmax(e->ay, e->ay + e->dy);
	if (!box_rays(s, bb, cx, cy, rho, &j0, &j1))
	{
		*b0 = 0;
		*b1 = nb - 1;
		return;
	}
	*b0 = j0 / RA_VL;
	*b1 = j1 < s->nf ? j1 / RA_VL : nb + (j1 - s->nf) / RA_VL;
	if (*b1 < *b0)
		*b1 += nb;
}

/* Every sample of the face in the order of face_order: skyline,
 * irradiation of the face's plane pr and of the PV plane pm (NULL: the
 * face's), the month accumulators.  An exact sample's skyline is cast
 * against its tile's walls (tile_prepare); a derived one against the walls
 * that hold the skylines of the four lattice samples around it. */
/*
 * Near and far walls of a tile (samples ord[a .. b), ne walls from
 * tile_prepare, disc radius rho): the walls at least near_m from every
 * sample (far) are cast from anchors only, on a grid of at most anchor_m
 * over the samples' box in the face's plane (its corners included; box:
 * u0, v0, steps du, dv, counts nu, nv); the far skylines, over the lower
 * bound, in wk->far.  The near walls are moved first in wk->edge: their
 * number, -1 out of memory.  (The header comment: the error bound.)
 */
/* A sample's coordinates in the face's plane */
static inline void
samp_uv(const ra_frame *fr, const ra_samp *sa, double *u, double *v)
{
	double		dx = sa->x - fr->o[0], dy = sa->y - fr->o[1], dz = sa->z - fr->o[2];

	*u = dx * fr->eu[0] + dy * fr->eu[1] + dz * fr->eu[2];
	*v = dx * fr->ev[0] + dy * fr->ev[1] + dz * fr->ev[2];
}

/* Widen the box (u0, v0)-(u1, v1) to a sample */
static inline void
box_add(const ra_frame *fr, const ra_samp *sa, double *u0, double *v0, double *u1, double *v1)
{
	double		u, v;

	samp_uv(fr, sa, &u, &v);
	*u0 = fmin(*u0, u);
	*u1 = fmax(*u1, u);
	*v0 = fmin(*v0, v);
	*v1 = fmax(*v1, v);
}

static void node_seed(const sr_roofarea *ra, const ra_work *wk, double x, double y, double z,
					  const float *lb, float *restrict t);

/* The box (u0, v0, u1, v1) in the face's plane of every sample of the
 * tile of group samples ord[a .. b), derived ones included (and the
 * group's own: the one sample of a face thinner than its sub-samples has
 * no cell) */
static void
tile_box(const ra_frame *fr, const ra_work *wk, int a, int b, double *ub)
{
	int			tc = wk->tc;
	const ra_samp *s0 = &wk->samp[wk->ord[a]];
	int			ti = s0->ci / tc, tj = s0->cj / tc;

	ub[0] = ub[1] = INFINITY;
	ub[2] = ub[3] = -INFINITY;
	for (int cj = tj * tc; cj < wk->nv && cj < (tj + 1) * tc; cj++)
		for (int ci = ti * tc; ci < wk->nu && ci < (ti + 1) * tc; ci++)
			if (wk->cell[cj * wk->nu + ci] >= 0)
				box_add(fr, &wk->samp[wk->cell[cj * wk->nu + ci]], &ub[0], &ub[1], &ub[2], &ub[3]);
	for (int k = a; k < b; k++)
		box_add(fr, &wk->samp[wk->ord[k]], &ub[0], &ub[1], &ub[2], &ub[3]);
}

/* (ub: tile_box's; far2: the anchors start from the shared far field,
 * node_seed, and cast the walls the tile's search found) */
static int
tile_far(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int g, int a, int b, int ne,
		 double rho, const double *ub, int far2)
{
	const ra_sky *s = &ra->sky;
	double		u0 = ub[0], v0 = ub[1], u1 = ub[2], v1 = ub[3];
	double	   *box;
	int			nn = 0, nau, nav, tc = wk->tc;
	const ra_samp *s0 = &wk->samp[wk->ord[a]];
	int			ti = s0->ci / tc, tj = s0->cj / tc;

	if (!grow((void **) &wk->tbox, &wk->tbox_cap, 6 * (g + 1), sizeof(double)) ||
		!grow((void **) &wk->toff, &wk->toff_cap, g + 1, sizeof(int)))
		return -1;
	if (wk->tgrp)
		wk->tgrp[tj * wk->ntu + ti] = g;
	/* anchors every anchor_m at most, at least the box's corners */
	nau = (int) ceil((u1 - u0) / ra->anchor_m - 1e-9);
	nav = (int) ceil((v1 - v0) / ra->anchor_m - 1e-9);
	nau = nau < 1 ? 1 : nau;
	nav = nav < 1 ? 1 : nav;
	box = wk->tbox + 6 * g;
	box[0] = u0;
	box[1] = v0;
	box[2] = (u1 - u0) / nau;
	box[3] = (v1 - v0) / nav;
	box[4] = nau;
	box[5] = nav;
	wk->toff[g] = wk->nfar;
	if (!grow((void **) &wk->far, &wk->far_cap, (wk->nfar + (nau + 1) * (nav + 1)) * s->nfv,
			  sizeof(float)))
		return -1;
	/* near walls first (the order of the others is kept) */
	for (int i = 0; i < ne; i++)
		if (wk->edge[i].dn - rho < ra->near_m)
		{
			if (i != nn)
			{
				ra_edge		tmp = wk->edge[nn];

				wk->edge[nn] = wk->edge[i];
				wk->edge[i] = tmp;
			}
			nn++;
		}
	for (int jv = 0; jv <= nav; jv++)
		for (int ju = 0; ju <= nau; ju++)
		{
			/* (back and forth: each anchor next to the previous one) */
			int			iu = (jv & 1) ? nau - ju : ju;
			double		u = u0 + iu * box[2], v = v0 + jv * box[3];
			double		x = fr->o[0] + u * fr->eu[0] + v * fr->ev[0];
			double		y = fr->o[1] + u * fr->eu[1] + v * fr->ev[1];
			float		z = (float) (u * fr->eu[2] + v * fr->ev[2]);

			if (far2)
			{
				node_seed(ra, wk, x, y, z + fr->o[2], wk->lb, wk->t);
				sample_skyline(ra, wk, nn, ne, wk->t, x, y, z);
			}
			else
				sample_skyline(ra, wk, nn, ne, wk->lb, x, y, z);
			memcpy(wk->far + (size_t) (wk->nfar + jv * (nau + 1) + iu) * s->nfv, wk->t,
				   sizeof(float) * s->nfv);
		}
	wk->nfar += (nau + 1) * (nav + 1);
	return nn;
}

/* A sample's far skyline: the anchors' around it (tile_far) interpolated
 * bilinearly, into wk->t. */
static void
tile_seed(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int g, const ra_samp *sa)
{
	const double *box = wk->tbox + 6 * g;
	int			nfv = ra->sky.nfv, nau = (int) box[4], nav = (int) box[5], iu, iv;
	double		u, v, gu, gv;
	float		fu, fv, w0, w1, w2, w3;
	const float *restrict f0, *restrict f1, *restrict f2, *restrict f3;
	float	   *restrict t = wk->t;

	samp_uv(fr, sa, &u, &v);
	gu = box[2] > 0 ? (u - box[0]) / box[2] : 0.0;
	gv = box[3] > 0 ? (v - box[1]) / box[3] : 0.0;
	gu = gu < 0 ? 0 : (gu > nau ? nau : gu);
	gv = gv < 0 ? 0 : (gv > nav ? nav : gv);
	iu = (int) gu < nau ? (int) gu : nau - 1;
	iv = (int) gv < nav ? (int) gv : nav - 1;
	fu = (float) (gu - iu);
	fv = (float) (gv - iv);
	w0 = (1 - fu) * (1 - fv);
	w1 = fu * (1 - fv);
	w2 = (1 - fu) * fv;
	w3 = fu * fv;
	f0 = wk->far + (size_t) (wk->toff[g] + iv * (nau + 1) + iu) * nfv;
	f1 = f0 + nfv;
	f2 = f0 + (size_t) (nau + 1) * nfv;
	f3 = f2 + nfv;
	for (int j = 0; j < nfv; j++)
		t[j] = w0 * f0[j] + w1 * f1[j] + w2 * f2[j] + w3 * f3[j];
}


/*
 * The shared far field.  The walls at least ra->f2_d from a node of a
 * lattice every ra->f2_m over the region (origin the obstacles' grid's)
 * are cast once from that node, for every face whose tiles' anchors lie
 * in one of the lattice cells around it, whatever their heights: each node
 * keeps its skyline at RA_FAR2_K heights (f2_z0 + k f2_dz) with, per ray,
 * the holding wall's 1 / s, so that the tangent (h - z) / s of that wall
 * is known at any height z; at z the node's skyline is the highest of
 * those RA_FAR2_K walls (exact where they hold it at z; lower where a
 * fourth wall would hold it between two heights).  An anchor takes its
 * cell's four nodes' interpolated bilinearly, as a sample takes its
 * anchors' (convex in the position: an overestimate of at most (f2_m /
 * f2_d)^2 / 4, as the anchors' (anchor_m / near_m)^2 / 4), and casts
 * only the walls nearer than f2_d + f2_m sqrt 2 from it: every wall
 * missing from one of its four nodes; its search of the obstacles stops
 * there too.  The nodes are computed by blocks of RA_FAR2_B x RA_FAR2_B
 * sharing one search, and are a pure function of their lattice indices:
 * the same on every thread and in every order.  A face uses the nodes of
 * the lattice cells over its obstacle's box (face_nodes: a tile whose
 * anchors reach beyond casts its far walls as before), computed before
 * it: by its caller one by one, or by the threads, block by block, before
 * a batch's faces (sr_roofarea_faces_cells); one store for all, up to
 * RA_FAR2_CAP nodes.  Not used where the face's own obstacle reaches so
 * far that a node could see its walls (face_run).
 */

static inline unsigned
node_hash(int i, int j, int cap)
{
	return ((unsigned) i * 2654435761u ^ (unsigned) j * 40503u) & (unsigned) (cap - 1);
}

/* Node (i, j)'s slot (ready or not), or -1 */
static int
node_find(const ra_store *st, int i, int j)
{
	unsigned	h;

	if (!st->nh_cap)
		return -1;
	h = node_hash(i, j, st->nh_cap);
	while (st->nh[h] >= 0)
	{
		int			q = st->nh[h];

		if (st->nkey[2 * q] == i && st->nkey[2 * q + 1] == j)
			return q;
		h = (h + 1) & (unsigned) (st->nh_cap - 1);
	}
	return -1;
}

/* Every node dropped (computed again when asked) */
static void
store_clear(ra_store *st)
{
	st->nnode = 0;
	st->npend = 0;
	for (int k = 0; k < st->nh_cap; k++)
		st->nh[k] = -1;
}

/* Reserve the slots of block (bi, bj)'s nodes, to compute (in st->pend),
 * unless there already; on the calling thread.  False out of memory. */
static int
store_reserve(const sr_roofarea *ra, int bi, int bj)
{
	ra_store   *st = ra->nst;
	int			B = RA_FAR2_B, nfv = ra->sky.nfv, K = RA_FAR2_K, n = st->nnode + B * B;

	if (node_find(st, bi * B, bj * B) >= 0)
		return 1;
	if (2 * n > st->nh_cap)
	{
		int			cap = st->nh_cap ? st->nh_cap : 1024;
		int		   *nh;

		while (2 * n > cap)
			cap *= 2;
		nh = sr_realloc(st->nh, sizeof(int) * cap);
		if (!nh)
			return 0;
		st->nh = nh;
		st->nh_cap = cap;
		for (int k = 0; k < cap; k++)
			nh[k] = -1;
		for (int f = 0; f < st->nnode; f++)
		{
			unsigned	h = node_hash(st->nkey[2 * f], st->nkey[2 * f + 1], cap);

			while (nh[h] >= 0)
				h = (h + 1) & (unsigned) (cap - 1);
			nh[h] = f;
		}
	}
	if (n > st->nnode_cap)
	{
		int			cap = st->nnode_cap ? st->nnode_cap : 64;
		int		   *nk;
		uint8_t    *rd;
		float	   *nv;

		while (n > cap)
			cap *= 2;
		if (!(nk = sr_realloc(st->nkey, sizeof(int) * 2 * cap)))
			return 0;
		st->nkey = nk;
		if (!(rd = sr_realloc(st->ready, cap)))
			return 0;
		st->ready = rd;
		if (!(nv = sr_realloc(st->nval, sizeof(float) * (size_t) cap * K * 2 * nfv)))
			return 0;
		st->nval = nv;
		st->nnode_cap = cap;
	}
	if (!grow((void **) &st->pend, &st->pend_cap, 3 * (st->npend + 1), sizeof(int)))
		return 0;
	st->pend[3 * st->npend] = bi;
	st->pend[3 * st->npend + 1] = bj;
	st->pend[3 * st->npend + 2] = st->nnode;
	st->npend++;
	for (int m = 0; m < B * B; m++)
	{
		int			q = st->nnode++, i = bi * B + m % B, j = bj * B + m / B;
		unsigned	h = node_hash(i, j, st->nh_cap);

		st->nkey[2 * q] = i;
		st->nkey[2 * q + 1] = j;
		st->ready[q] = 0;
		while (st->nh[h] >= 0)
			h = (h + 1) & (unsigned) (st->nh_cap - 1);
		st->nh[h] = q;
	}
	return 1;
}

/* The lattice nodes a face may ask (face_run: the tiles whose anchors
 * fall in these only use the shared far field): those of the cells over
 * its obstacle's box, with a margin.  False when none (no obstacle, or
 * the far field off). */
static int
face_nodes(const sr_roofarea *ra, int excl, int *i0, int *j0, int *i1, int *j1)
{
	const double *bb;
	double		m = 3.0;

	if (!(ra->f2_m > 0) || !(ra->near_m > 0) || excl < 0)
		return 0;
	bb = ra->ix.bb + 4 * excl;
	*i0 = (int) floor((bb[0] - m - ra->ix.x0) / ra->f2_m);
	*j0 = (int) floor((bb[1] - m - ra->ix.y0) / ra->f2_m);
	*i1 = (int) floor((bb[2] + m - ra->ix.x0) / ra->f2_m) + 1;
	*j1 = (int) floor((bb[3] + m - ra->ix.y0) / ra->f2_m) + 1;
	return 1;
}

static inline int
floordiv(int a, int b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Whether the cadastre's faces, in their order, would use the shared far
 * field's nodes often enough: the store simulated as face_compute fills it
 * (one face after the other; every node dropped when full), the blocks it
 * would compute counted.  A block costs about what the far field saves on
 * six faces (the C harness: ~0.5 ms against ~0.1 ms per face): with more
 * than one block per RA_FAR2_FACES faces (a large region whose buildings
 * come in a scattered order) the sampler goes without it.  A function of
 * the cadastre alone: the same decision on every thread. */
#define RA_FAR2_FACES 6
static int
far_order_ok(const sr_roofarea *ra)
{
	int			nf = sr_cadastre_nfaces(ra->c), B = RA_FAR2_B, cap = 1, n = 0, blocks = 0;
	int		   *key;

	while (cap < 2 * (RA_FAR2_CAP / (B * B) + 64))
		cap *= 2;
	key = sr_alloc(sizeof(int) * 2 * cap);
	if (!key)
		return 0;
	for (int k = 0; k < cap; k++)
		key[2 * k] = INT_MIN;
	for (int f = 0; f < nf && blocks <= nf / RA_FAR2_FACES; f++)
	{
		sr_face_info fi;
		int			i0, j0, i1, j1;

		sr_cadastre_face_info(ra->c, f, &fi);
		if (!face_nodes(ra, fi.excl, &i0, &j0, &i1, &j1))
			continue;
		/* a face spanning more blocks than the table holds (a slanted
		 * spike 1e9 m long: 10^13 blocks, looped over without end) cannot
		 * share the far field: no order is kept, before any loop */
		if ((double) (floordiv(j1, B) - floordiv(j0, B) + 1) *
			(double) (floordiv(i1, B) - floordiv(i0, B) + 1) > (double) cap)
		{
			sr_free(key);
			return 0;
		}
		for (int pass = 0; pass < 2; pass++)
		{
			int			add = 0;

			for (int bj = floordiv(j0, B); bj <= floordiv(j1, B); bj++)
				for (int bi = floordiv(i0, B); bi <= floordiv(i1, B); bi++)
				{
					unsigned	h = node_hash(bi, bj, cap);

					while (key[2 * h] != INT_MIN && (key[2 * h] != bi || key[2 * h + 1] != bj))
						h = (h + 1) & (unsigned) (cap - 1);
					if (key[2 * h] == INT_MIN && n + 1 < cap / 2)
					{
						key[2 * h] = bi;
						key[2 * h + 1] = bj;
						n++;
						add++;
					}
				}
			blocks += add;
			if (n * B * B <= RA_FAR2_CAP || pass == 1)
				break;
			/* (full: every node dropped, this face's again) */
			blocks -= add;
			n = 0;
			for (int k = 0; k < cap; k++)
				key[2 * k] = INT_MIN;
		}
	}
	sr_free(key);
	return blocks <= nf / RA_FAR2_FACES;
}

/* Reserve the blocks of the nodes faces[0 .. n) may ask (face_nodes);
 * every node dropped first when they might not all fit.  False out of
 * memory. */
static int
store_reserve_faces(const sr_roofarea *ra, int n, const int *faces)
{
	ra_store   *st = ra->nst;
	int			B = RA_FAR2_B;

	for (int pass = 0; pass < 2; pass++)
	{
		for (int k = 0; k < n; k++)
		{
			sr_face_info fi;
			int			i0, j0, i1, j1;

			sr_cadastre_face_info(ra->c, faces[k], &fi);
			if (!face_nodes(ra, fi.excl, &i0, &j0, &i1, &j1))
				continue;
			for (int bj = floordiv(j0, B); bj <= floordiv(j1, B); bj++)
				for (int bi = floordiv(i0, B); bi <= floordiv(i1, B); bi++)
					if (!store_reserve(ra, bi, bj))
						return 0;
		}
		if (st->nnode <= RA_FAR2_CAP || pass == 1)
			return 1;
		/* (too many: only this batch's) */
		store_clear(st);
	}
	return 1;
}

/* The skylines of a node at (X, Y) at the RA_FAR2_K heights from the
 * walls edge[i0 .. ne) at least f2_d away, over the bound lb, into out ([K][2][nfv]: the
 * tangents, the holding wall's 1 / s): one pass over the walls for every
 * height (their rays found once), each height's rays raised as
 * edge_rays does. */
static void
node_skylines(const sr_roofarea *ra, ra_work *wk, int i0, int ne, double X, double Y, float *out)
{
	const ra_sky *s = &ra->sky;
	int			nfv = s->nfv, nf = s->nf, K = RA_FAR2_K, nb = nfv / RA_VL;
	float		R = (float) ra->o.radius_m, R2 = R * R, zk[RA_FAR2_K];
	float		D2 = (float) (ra->f2_d * ra->f2_d);
	int		   *win = wk->win;	/* [K][nfv] (wk->win holds K nfv: work_init) */

	/* each height from the bound (obstacle_lb: tz / S at the top height,
	 * a wall hit at most S away: (h - z) / S at z) */
	for (int k = 0; k < K; k++)
	{
		float	   *t = out + (size_t) k * 2 * nfv, dz = (float) ((K - 1 - k) * ra->f2_dz);

		zk[k] = (float) (ra->f2_z0 + k * ra->f2_dz);
		for (int r = 0; r < nfv; r++)
			t[r] = wk->lb[r] + (wk->lb[r] > 0.0f ? dz * wk->lbs[r] : 0.0f);
	}
	memset(win, 0xff, sizeof(int) * (size_t) K * nfv);
	for (int i = i0; i < ne; i++)
	{
		const ra_edge *e = &wk->edge[i];
		float		hi = e->ztop + (e->dz > 0 ? e->dz : 0.0f), ax, ay, cad,
					tt, nx, ny, d2, id;
		int			j0, j1, b0, b1;

		if (!(hi - zk[0] > 0))
			continue;
		ax = (float) (e->ax - X);
		ay = (float) (e->ay - Y);
		cad = ax * e->dy - ay * e->dx;
		if (e->side * cad < 0.0f || cad == 0.0f)
			continue;
		tt = -(ax * e->dx + ay * e->dy) / (e->dx * e->dx + e->dy * e->dy);
		tt = tt < 0 ? 0 : (tt > 1 ? 1 : tt);
		nx = ax + tt * e->dx;
		ny = ay + tt * e->dy;
		d2 = nx * nx + ny * ny;
		if (d2 > R2 || d2 < D2)
			continue;			/* (beyond the radius; nearer than f2_d) */
		id = 1.0f / sqrtf(d2);
		edge_span(s, e, ax, ay, cad, &j0, &j1);
		b0 = j0 / RA_VL;
		b1 = j1 < nf ? j1 / RA_VL : nb + (j1 - nf) / RA_VL;
		for (int k = 0; k < K; k++)
		{
			float	   *t = out + (size_t) k * 2 * nfv, tz = e->ztop - zk[k], mn = INFINITY;

			if (!(hi - zk[k] > 0))
				break;			/* (nor at the heights above) */
			for (int jj = j0; jj <= j1; jj++)
			{
				float		v = t[jj < nf ? jj : jj - nf];

				mn = v < mn ? v : mn;
			}
			if ((hi - zk[k]) * id <= mn)
				continue;
			rays_raise(t, win + (size_t) k * nfv, i, s->ux, s->uy, nb, b0, b1, ax, ay, e->dx, e->dy,
					   cad, tz / cad, tz / R, e->dz / cad, 1.0f / cad, 1.0f / R);
		}
	}
	/* the holding walls' 1 / s */
	for (int k = 0; k < K; k++)
	{
		float	   *bk = out + (size_t) k * 2 * nfv + nfv;
		const int  *w = win + (size_t) k * nfv;

		for (int r = 0; r < nfv; r++)
		{
			/* (held by the bound: its line's slope) */
			bk[r] = wk->lb[r] > 0.0f ? wk->lbs[r] : 0.0f;
			if (r < nf && w[r] >= 0)
			{
				const ra_edge *e = &wk->edge[w[r]];
				float		ax = (float) (e->ax - X), ay = (float) (e->ay - Y);
				float		cad = ax * e->dy - ay * e->dx;

				bk[r] = (s->ux[r] * e->dy - s->uy[r] * e->dx) / cad;
			}
		}
	}
}

/* Compute reserved block p (st->pend[p]: RA_FAR2_B x RA_FAR2_B nodes, one
 * search of the obstacles for all of them) with wk's buffers; false when
 * they had to grow (out of memory, or in a thread: again on the calling
 * thread) */
static int
block_compute(const sr_roofarea *ra, ra_work *wk, int p)
{
	ra_store   *st = ra->nst;
	int			nfv = ra->sky.nfv, K = RA_FAR2_K, B = RA_FAR2_B, ne;
	int			bi = st->pend[3 * p], bj = st->pend[3 * p + 1], q0 = st->pend[3 * p + 2];
	double		cx = ra->ix.x0 + (bi * B + 0.5 * (B - 1)) * ra->f2_m;
	double		cy = ra->ix.y0 + (bj * B + 0.5 * (B - 1)) * ra->f2_m;
	double		rho = (B - 1) * ra->f2_m * RA_SQRT2 / 2 + 1e-6;

	if (st->ready[q0])
		return 1;
	/* the walls that may show above the bound anywhere in the block below
	 * its top height; the bound from the walls hit at least f2_d away */
	ne = tile_prepare(ra, wk, cx, cy, rho, ra->f2_z0, ra->f2_z0 + (K - 1) * ra->f2_dz, 0.0, -1,
					  ra->o.radius_m, ra->f2_d, wk->lbs);
	if (ne < 0)
		return 0;
	for (int m = 0; m < B * B; m++)
	{
		int			q = q0 + m;

		node_skylines(ra, wk, 0, ne, ra->ix.x0 + st->nkey[2 * q] * ra->f2_m,
					  ra->ix.y0 + st->nkey[2 * q + 1] * ra->f2_m, st->nval + (size_t) q * K * 2 * nfv);
	}
	for (int m = 0; m < B * B; m++)
		st->ready[q0 + m] = 1;
	return 1;
}

/* The reserved blocks computed, on the calling thread.  False out of
 * memory. */
static int
store_compute(const sr_roofarea *ra, ra_work *wk)
{
	for (int p = 0; p < ra->nst->npend; p++)
		if (!block_compute(ra, wk, p))
			return 0;
	ra->nst->npend = 0;
	return 1;
}

/* The far field at (x, y, z) (z absolute) over the bound lb, into t */
static void
node_seed(const sr_roofarea *ra, const ra_work *wk, double x, double y, double z, const float *lb,
		  float *restrict t)
{
	int			nfv = ra->sky.nfv, K = RA_FAR2_K;
	double		gx = (x - ra->ix.x0) / ra->f2_m, gy = (y - ra->ix.y0) / ra->f2_m;
	int			i = (int) floor(gx), j = (int) floor(gy);
	float		fx = (float) (gx - i), fy = (float) (gy - j), wc[4], dzk[RA_FAR2_K];
	const float *nv[4];

	wc[0] = (1 - fx) * (1 - fy);
	wc[1] = fx * (1 - fy);
	wc[2] = (1 - fx) * fy;
	wc[3] = fx * fy;
	for (int k = 0; k < K; k++)
		dzk[k] = (float) (ra->f2_z0 + k * ra->f2_dz - z);
	for (int c = 0; c < 4; c++)
	{
		int			q = node_find(ra->nst, i + (c & 1), j + (c >> 1));

		if (q < 0 || !ra->nst->ready[q])
		{
			/* (not computed: cannot happen, face_run checks that the
			 * anchors' cells are the face's, computed before it; the
			 * bound alone then) */
			memcpy(t, lb, sizeof(float) * nfv);
			return;
		}
		nv[c] = ra->nst->nval + (size_t) q * K * 2 * nfv;
	}
	/* RA_VL rays at a time (nfv is a multiple of it) */
	for (int r = 0; r < nfv; r += RA_VL)
	{
		ra_vf		acc = {0.0f, 0.0f, 0.0f, 0.0f}, vl;

		for (int c = 0; c < 4; c++)
		{
			const float *restrict p = nv[c] + r;
			ra_vf		m = {0.0f, 0.0f, 0.0f, 0.0f};

			for (int k = 0; k < K; k++)
			{
				ra_vf		a, b, v;

				memcpy(&a, p + (size_t) k * 2 * nfv, sizeof(a));
				memcpy(&b, p + (size_t) k * 2 * nfv + nfv, sizeof(b));
				v = a + b * dzk[k];
				m = vsel(v > m, v, m);
			}
			acc += wc[c] * m;
		}
		memcpy(&vl, lb + r, sizeof(vl));
		acc = vsel(acc > vl, acc, vl);
		memcpy(t + r, &acc, sizeof(acc));
	}
}

/* An exact sample of tile group g (its walls wk->edge[0 .. nn) near it, or
 * all of its tile's with near_m = 0): skyline, the walls holding it when
 * it is a lattice sample (for the derived samples around), irradiation. */
static sr_status
exact_sample(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int g, int nn,
			 ra_samp *sa, const ra_plane *pr, const ra_plane *pm, sr_err *err)
{
	int			L = ra->lat;
	double		z0 = fr->o[2];

	if (ra->near_m > 0)
	{
		tile_seed(ra, wk, fr, g, sa);
		sample_skyline(ra, wk, 0, nn, wk->t, sa->x, sa->y, (float) (sa->z - z0));
	}
	else
		sample_skyline(ra, wk, 0, nn, wk->lb, sa->x, sa->y, (float) (sa->z - z0));
	/* a lattice sample: the walls holding its skyline, for the samples
	 * around */
	if (L > 1 && wk->nlb > 0 && sa->ci % L == 0 && sa->cj % L == 0)
	{
		wk->stamp_seen++;
		sa->w0 = wk->nwl;
		/* (a wall holds a run of rays: looked up once per run) */
		for (int r = 0; r < wk->nruns; r++)
		{
			int			f;

			f = face_edge(wk, &wk->edge[wk->runs[r]]);
			if (f < 0 || !grow((void **) &wk->wl, &wk->wl_cap, wk->nwl + 1, sizeof(int)))
				return sr_error(err, SR_ENOMEM, "out of memory");
			if (wk->seen[f] != wk->stamp_seen)
			{
				wk->seen[f] = wk->stamp_seen;
				wk->wl[wk->nwl++] = f;
			}
		}
		sa->nw = wk->nwl - sa->w0;
	}
	sample_irradiation(ra, wk, sa, pr, pm);
	sa->mode = 1;
	return SR_OK;
}

/*
 * Smooth lattice cells.  Every lattice sample of a face is cast (in the
 * tiles, as without them); where the lattice samples of a block of
 * ra->ablock x ra->ablock cells around a lattice cell agree with the
 * bilinear interpolation of the block's corners within ra->atol (roof and
 * PV planes, relative) and lie on one side of the sunny threshold, the
 * field is smooth at that scale, and the lattice cell's derived samples
 * are interpolated between its own four corners (one lattice step apart)
 * instead of cast: they skip their skyline and their irradiation.  Their
 * weights in the face's months go to those corners (terms_store keeps a
 * cast lattice sample's terms, terms_add adds them with the weight its
 * interpolated neighbours gave it), so the months stay the area mean of
 * the cells' values.  A lattice cell a shadow's edge crosses is in no
 * such block (its corners on both sides of the threshold): its samples are
 * cast, and the sunny edges' refinement (face_refine) sees cast values.
 */

/* The next slot of the face's months' terms, for the cast lattice sample
 * about to be computed: accumulate fills its rows, gc and gs, terms_store
 * the rest.  0 out of memory. */
static int
terms_reserve(const sr_roofarea *ra, ra_work *wk)
{
	const ra_sky *s = &ra->sky;
	int			ns = s->nc, nf = s->nf, q = wk->nts;	/* (its columns) */

	if (!grow((void **) &wk->tr, &wk->tr_cap, (q + 1) * ns, sizeof(uint8_t)) ||
		!grow((void **) &wk->tgc, &wk->tgc_cap, (q + 1) * ns, sizeof(float)) ||
		!grow((void **) &wk->tgs, &wk->tgs_cap, (q + 1) * ns, sizeof(float)) ||
		!grow((void **) &wk->tcnt, &wk->tcnt_cap, (q + 1) * nf, sizeof(uint16_t)) ||
		!grow((void **) &wk->tew, &wk->tew_cap, q + 1, sizeof(double)))
		return 0;
	wk->tslot = q;
	return 1;
}

/* The terms of the face's months of a cast sample (accumulate's, in the
 * slot terms_reserve gave it), kept in slot sa->sl for the weight of its
 * interpolated neighbours. */
static void
terms_store(const sr_roofarea *ra, ra_work *wk, ra_samp *sa)
{
	int			nf = ra->sky.nf, q = wk->tslot;

	for (int j = 0; j < nf; j++)
		wk->tcnt[(size_t) q * nf + j] = (uint16_t) wk->cnt[j];	/* (<= nsun < 65536) */
	wk->tew[q] = 0.0;
	sa->sl = q;
	wk->nts++;
	wk->tslot = -1;
}

/* The weights the interpolated samples gave the cast ones, into the
 * months' accumulators (as accumulate and sample_beam would).  Each
 * column's weight at its count is held in run[j] while the slots' counts
 * of that column stay the same (most do from one slot to the next): the
 * same additions, in the same order, as adding each slot's weight to
 * hist, with one vector pass per slot. */
static void
terms_add(const sr_roofarea *ra, ra_work *wk)
{
	const ra_sky *s = &ra->sky;
	int			ns = s->nc, nf = s->nf;	/* (its columns) */
	double	   *hist = wk->hist, *run = wk->trun;
	const int  *cs = s->cs;
	const uint16_t *prev = NULL;	/* the counts run[] holds */

	for (int q = 0; q < wk->nts; q++)
	{
		double		w = wk->tew[q];
		const uint16_t *tc = wk->tcnt + (size_t) q * nf;
		int			j = 0;

		if (w == 0.0)
			continue;
		for (int k = 0; k < ns; k++)
		{
			size_t		a = 3 * ((size_t) k * NR + wk->tr[(size_t) q * ns + k]);

			wk->acc[a] += w;
			wk->acc[a + 1] += w * wk->tgc[(size_t) q * ns + k];
			wk->acc[a + 2] += w * wk->tgs[(size_t) q * ns + k];
		}
		if (!prev)
			for (j = 0; j < nf; j++)
				run[j] = hist[cs[j] + j + tc[j]];
		else
		{
			/* the columns whose count moved, four at a time */
			for (j = 0; j + 4 <= nf; j += 4)
			{
				uint64_t	now, was;

				memcpy(&now, tc + j, sizeof(now));
				memcpy(&was, prev + j, sizeof(was));
				if (now == was)
					continue;
				for (int i = j; i < j + 4; i++)
					if (tc[i] != prev[i])
					{
						hist[cs[i] + i + prev[i]] = run[i];
						run[i] = hist[cs[i] + i + tc[i]];
					}
			}
			for (; j < nf; j++)
				if (tc[j] != prev[j])
				{
					hist[cs[j] + j + prev[j]] = run[j];
					run[j] = hist[cs[j] + j + tc[j]];
				}
		}
		for (j = 0; j < nf; j++)
			run[j] += w;
		prev = tc;
	}
	if (prev)
		for (int j = 0; j < nf; j++)
			hist[cs[j] + j + prev[j]] = run[j];
}

/* The sample at lattice point (li, lj), or NULL (outside the face) */
static inline ra_samp *
lat_samp(const ra_work *wk, int L, int li, int lj)
{
	int			k = wk->cell[(lj * L) * wk->nu + li * L];

	return k >= 0 ? &wk->samp[k] : NULL;
}

/* v = 0: the roof plane's value of a sample, 1: the PV plane's */
static inline double
samp_val(const ra_samp *sa, int v)
{
	return v ? sa->pv : sa->irr;
}

/*
 * Smooth lattice cells (above): every block of bl x bl lattice steps whose
 * lattice samples all exist, lie on one side of the sunny threshold and
 * agree with the bilinear interpolation of its corners within ra->atol
 * (roof and PV planes, relative) marks its lattice cells smooth, and the
 * derived samples of a smooth lattice cell are interpolated between its
 * four corners.  SR_ENOMEM out of memory.
 */
static sr_status
face_adapt(const sr_roofarea *ra, ra_work *wk, sr_err *err)
{
	int			L = ra->lat, nu = wk->nu, nv = wk->nv;
	int			nlu = (nu - 1) / L + 1, nlv = (nv - 1) / L + 1, bl = ra->ablock / L;
	double		tol = ra->atol, thr = wk->thr;
	uint8_t    *sm;

	if (nlu <= bl || nlv <= bl || wk->nlb == 0)
		return SR_OK;
	if (!grow((void **) &wk->smooth, &wk->smooth_cap, nlu * nlv, sizeof(uint8_t)))
		return sr_error(err, SR_ENOMEM, "out of memory");
	sm = wk->smooth;
	memset(sm, 0, (size_t) nlu * nlv);
	for (int bj = 0; bj + bl < nlv; bj++)
		for (int bi = 0; bi + bl < nlu; bi++)
		{
			const ra_samp *co[4];
			int			ok = 1, side;

			for (int c = 0; c < 4 && ok; c++)
				ok = (co[c] = lat_samp(wk, L, bi + (c & 1) * bl, bj + (c >> 1) * bl)) != NULL;
			if (!ok)
				continue;
			side = co[0]->pv >= thr;
			for (int lj = bj; lj <= bj + bl && ok; lj++)
				for (int li = bi; li <= bi + bl && ok; li++)
				{
					const ra_samp *sa = lat_samp(wk, L, li, lj);
					double		fu = (double) (li - bi) / bl, fv = (double) (lj - bj) / bl;

					if (!sa || (sa->pv >= thr) != side)
					{
						ok = 0;
						break;
					}
					for (int v = 0; v < 2 && ok; v++)
					{
						double		pred = (1 - fv) * ((1 - fu) * samp_val(co[0], v) + fu * samp_val(co[1], v)) +
							fv * ((1 - fu) * samp_val(co[2], v) + fu * samp_val(co[3], v));

						ok = fabs(samp_val(sa, v) - pred) <= tol * fabs(samp_val(sa, v));
					}
				}
			if (!ok)
				continue;
			for (int lj = bj; lj < bj + bl; lj++)
				memset(sm + (size_t) lj * nlu + bi, 1, bl);
		}
	/* the derived samples of the smooth lattice cells */
	for (int g = wk->ntb; g < wk->ntb + wk->nlb; g++)
	{
		const ra_samp *s0 = &wk->samp[wk->ord[wk->tb[g]]], *co[4];
		int			li = s0->ci / L, lj = s0->cj / L;

		if (!sm[(size_t) lj * nlu + li])
			continue;
		for (int c = 0; c < 4; c++)
			co[c] = lat_samp(wk, L, li + (c & 1), lj + (c >> 1));
		for (int k = wk->tb[g]; k < wk->tb[g + 1]; k++)
		{
			ra_samp    *sa = &wk->samp[wk->ord[k]];
			double		fu = (double) (sa->ci - li * L) / L, fv = (double) (sa->cj - lj * L) / L;
			double		l[4];

			l[0] = (1 - fu) * (1 - fv);
			l[1] = fu * (1 - fv);
			l[2] = (1 - fu) * fv;
			l[3] = fu * fv;
			sa->irr = sa->pv = 0.0;
			for (int c = 0; c < 4; c++)
			{
				sa->irr += l[c] * co[c]->irr;
				sa->pv += l[c] * co[c]->pv;
				wk->tew[co[c]->sl] += l[c] * sa->w;
			}
			sa->mode = 2;
		}
	}
	return SR_OK;
}

static sr_status
face_run(const sr_roofarea *ra, ra_work *wk, const ra_frame *fr, int excl,
		 const ra_plane *pr, const ra_plane *pm, int adapt, sr_err *err)
{
	const ra_sky *s = &ra->sky;
	double		z0 = fr->o[2];
	int			L = ra->lat, nb = s->nfv / RA_VL;

	beam_reset(ra, wk, pr, pm);
	wk->nfe = 0;
	wk->nwl = 0;
	wk->nfar = 0;
	wk->nts = 0;
	wk->tslot = -1;
	if (wk->fh)
		for (int i = 0; i < wk->fh_cap; i++)
			wk->fh[i] = -1;
	if (ra->near_m > 0)
	{
		/* the tiles' groups, for the derived samples' far skyline */
		int			nt = wk->ntu * ((wk->nv + wk->tc - 1) / wk->tc);

		if (!grow((void **) &wk->tgrp, &wk->tgrp_cap, nt + 1, sizeof(int)))
			return sr_error(err, SR_ENOMEM, "out of memory");
		for (int i = 0; i < nt; i++)
			wk->tgrp[i] = -1;
	}
	for (int g = 0; g < wk->ntb; g++)
	{
		int			a = wk->tb[g], b = wk->tb[g + 1], ne, nn = 0, k, far2;
		double		bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
		double		zlo = INFINITY, zhi = -INFINITY, cx, cy, rho = 0, R, ubox[4];

		/* a cancel within a tile's time, not after the face: in a batch's
		 * task the face stops here unfinished (computed again on the
		 * calling thread once the interrupt check has let it through);
		 * one by one, a cancel raises here */
		if (sr_parallel_checkpoint())
			return sr_error(err, SR_EINTERNAL, "stopped for a pending interrupt");

		for (k = a; k < b; k++)
		{
			const ra_samp *sa = &wk->samp[wk->ord[k]];

			bx0 = fmin(bx0, sa->x);
			bx1 = fmax(bx1, sa->x);
			by0 = fmin(by0, sa->y);
			by1 = fmax(by1, sa->y);
			zlo = fmin(zlo, sa->z);
			zhi = fmax(zhi, sa->z);
		}
		cx = 0.5 * (bx0 + bx1);
		cy = 0.5 * (by0 + by1);
		for (k = a; k < b; k++)
			rho = fmax(rho, hypot(wk->samp[wk->ord[k]].x - cx, wk->samp[wk->ord[k]].y - cy));
		rho += 1e-6;
		R = ra->o.radius_m;
		far2 = 0;
		if (ra->near_m > 0)
		{
			/* the anchors' box; with the shared far field, its nodes,
			 * and the tile's search only as far as the walls missing from
			 * one of them (unless the face's own obstacle reaches so far
			 * that a node could see its walls) */
			double		ax0 = INFINITY, ay0 = INFINITY, ax1 = -INFINITY, ay1 = -INFINITY,
						rmax = 0;

			tile_box(fr, wk, a, b, ubox);
			for (int c = 0; c < 4; c++)
			{
				double		u = ubox[2 * (c & 1)], v = ubox[1 + 2 * (c >> 1)];
				double		x = fr->o[0] + u * fr->eu[0] + v * fr->ev[0];
				double		y = fr->o[1] + u * fr->eu[1] + v * fr->ev[1];

				ax0 = fmin(ax0, x);
				ax1 = fmax(ax1, x);
				ay0 = fmin(ay0, y);
				ay1 = fmax(ay1, y);
				rmax = fmax(rmax, hypot(x - cx, y - cy));
			}
			if (ra->f2_m > 0)
			{
				double		reach = rmax + ra->f2_m * RA_SQRT2;

				if (excl >= 0)
				{
					const double *eb = ra->ix.bb + 4 * excl;

					for (int c = 0; c < 4; c++)
						reach = fmax(reach, rmax + ra->f2_m * RA_SQRT2 +
									 hypot(eb[2 * (c & 1)] - cx, eb[1 + 2 * (c >> 1)] - cy));
				}
				far2 = reach < ra->f2_d;
			}
			/* (and only where the anchors' cells are among the face's
			 * nodes, computed before: face_nodes) */
			if (far2 && !(wk->f2ok &&
						  floor((ax0 - ra->ix.x0) / ra->f2_m) >= wk->f2r[0] &&
						  floor((ay0 - ra->ix.y0) / ra->f2_m) >= wk->f2r[1] &&
						  floor((ax1 - ra->ix.x0) / ra->f2_m) + 1 <= wk->f2r[2] &&
						  floor((ay1 - ra->ix.y0) / ra->f2_m) + 1 <= wk->f2r[3]))
				far2 = 0;
			if (far2)
				R = fmin(R, ra->f2_d + ra->f2_m * RA_SQRT2 + fmax(0.0, rmax - rho) + 1e-3);
		}
		ne = tile_prepare(ra, wk, cx, cy, rho, zlo, zhi, z0, excl, R, 0.0, NULL);
		if (ne < 0)
			return sr_error(err, SR_ENOMEM, "out of memory");
		{
#ifdef RA_STATS
		struct timespec q0, q1;
		clock_gettime(CLOCK_MONOTONIC, &q0);
#endif
		if (ra->near_m > 0 && (nn = tile_far(ra, wk, fr, g, a, b, ne, rho, ubox, far2)) < 0)
			return sr_error(err, SR_ENOMEM, "out of memory");
#ifdef RA_STATS
		clock_gettime(CLOCK_MONOTONIC, &q1);
		ra_st[0] += (q1.tv_sec - q0.tv_sec) * 1000000000L + (q1.tv_nsec - q0.tv_nsec);
#endif
		}
		for (k = a; k < b; k++)
		{
			ra_samp    *sa = &wk->samp[wk->ord[k]];
			sr_status	st;
			int			keep = adapt && sa->ci % L == 0 && sa->cj % L == 0;

			if (keep && !terms_reserve(ra, wk))
				return sr_error(err, SR_ENOMEM, "out of memory");
			if ((st = exact_sample(ra, wk, fr, g, ra->near_m > 0 ? nn : ne, sa, pr, pm, err)) != SR_OK)
				return st;
			if (keep)
				terms_store(ra, wk, sa);
		}
	}
	if (adapt)
	{
		sr_status	st = face_adapt(ra, wk, err);

		if (st != SR_OK)
			return st;
	}
	/* the derived samples, lattice cell by lattice cell: the walls of the
	 * four corners, with the rays they may take from the cell */
	for (int g = wk->ntb; g < wk->ntb + wk->nlb; g++)
	{
		int			a = wk->tb[g], b = wk->tb[g + 1], nu = 0;
		const ra_samp *s0 = &wk->samp[wk->ord[a]];
		int			ci0 = s0->ci - s0->ci % L, cj0 = s0->cj - s0->cj % L;
		double		cx = 0.0, cy = 0.0, rho = 0.0;
		const ra_samp *co[4];
		int			pend = 0;

		/* (those of a smooth lattice cell are
		 * interpolated already) */
		for (int k = a; k < b; k++)
			pend += wk->samp[wk->ord[k]].mode == 0;
		if (pend == 0)
			continue;
		wk->stamp_seen++;
		for (int c = 0; c < 4; c++)
		{
			co[c] = &wk->samp[wk->cell[(cj0 + (c >> 1) * L) * wk->nu + ci0 + (c & 1) * L]];
			cx += 0.25 * co[c]->x;
			cy += 0.25 * co[c]->y;
		}
		for (int k = a; k < b; k++)
			rho = fmax(rho, hypot(wk->samp[wk->ord[k]].x - cx, wk->samp[wk->ord[k]].y - cy));
		rho += 1e-6;
		for (int c = 0; c < 4; c++)
			for (int q = co[c]->w0; q < co[c]->w0 + co[c]->nw; q++)
			{
				int			f = wk->wl[q];
				ra_edge    *e;

				if (wk->seen[f] == wk->stamp_seen)
					continue;
				wk->seen[f] = wk->stamp_seen;
				if (!grow((void **) &wk->edge, &wk->edge_cap, nu + 1, sizeof(ra_edge)))
					return sr_error(err, SR_ENOMEM, "out of memory");
				e = &wk->edge[nu++];
				*e = wk->fe[f];
				edge_blocks(s, e, cx, cy, rho, &e->b0, &e->b1);
			}
		for (int k = a; k < b; k++)
		{
			ra_samp    *sa = &wk->samp[wk->ord[k]];
			float		z = (float) (sa->z - z0), vr0 = 1.0f / (float) ra->o.radius_m;

			if (sa->mode != 0)
				continue;
			if (ra->near_m > 0)
			{
				/* the far skyline of its tile (whose group holds its
				 * lattice corner, face_order) */
				int			tg = wk->tgrp[(sa->cj / wk->tc) * wk->ntu + sa->ci / wk->tc];

				if (tg >= 0)
					tile_seed(ra, wk, fr, tg, sa);
				else
					memset(wk->t, 0, sizeof(float) * s->nfv);
			}
			else
				memset(wk->t, 0, sizeof(float) * s->nfv);
			for (int i = 0; i < nu; i++)
			{
				const ra_edge *e = &wk->edge[i];
				float		tz = e->ztop - z, ax, ay, cad;

				if (!(tz + (e->dz > 0 ? e->dz : 0.0f) > 0))
					continue;
				ax = (float) (e->ax - sa->x);
				ay = (float) (e->ay - sa->y);
				cad = ax * e->dy - ay * e->dx;
				if (e->side * cad < 0.0f || cad == 0.0f)
					continue;
				rays_raise(wk->t, wk->win, i, s->ux, s->uy, nb, e->b0, e->b1, ax, ay, e->dx,
						   e->dy, cad, tz / cad, tz * vr0, e->dz / cad, 1.0f / cad, vr0);
			}
			sample_irradiation(ra, wk, sa, pr, pm);
			sa->mode = 1;
		}
	}
	if (adapt)
		terms_add(ra, wk);
	return SR_OK;
}

/* ---------- public ---------- */

static void
work_free(ra_work *wk)
{
	for (int i = 0; i < RA_NPLANES; i++)
		plane_free(&wk->pl[i]);
	sr_free(wk->samp);
	sr_free(wk->fine);
	sr_free(wk->cross);
	sr_free(wk->cand);
	sr_free(wk->edge);
	sr_free(wk->lb);
	sr_free(wk->lbs);
	sr_free(wk->t);
	sr_free(wk->far);
	sr_free(wk->tbox);
	sr_free(wk->toff);
	sr_free(wk->tgrp);
	sr_free(wk->win);
	sr_free(wk->runs);
	sr_free(wk->smin);
	sr_free(wk->teq);
	sr_free(wk->gcs);
	sr_free(wk->gss);
	sr_free(wk->rows);
	sr_free(wk->cnt);
	sr_free(wk->tlo);
	sr_free(wk->thi);
	sr_free(wk->wset);
	sr_free(wk->trun);
	sr_free(wk->acc);
	sr_free(wk->hist);
	sr_free(wk->vals);
	sr_free(wk->cell);
	sr_free(wk->ord);
	sr_free(wk->tb);
	sr_free(wk->dflag);
	sr_free(wk->fe);
	sr_free(wk->fh);
	sr_free(wk->wl);
	sr_free(wk->seen);
	sr_free(wk->tr);
	sr_free(wk->tgc);
	sr_free(wk->tgs);
	sr_free(wk->tcnt);
	sr_free(wk->tew);
	sr_free(wk->smooth);
	memset(wk, 0, sizeof(*wk));
}

static sr_status
work_init(ra_work *wk, const ra_sky *s, sr_err *err)
{
	int			nf = s->nf, ns = s->ns, nc = s->nc;
	sr_status	st;

	memset(wk, 0, sizeof(*wk));
	wk->tslot = -1;
	for (int i = 0; i < RA_NPLANES; i++)
		if ((st = plane_alloc(&wk->pl[i], s, err)) != SR_OK)
		{
			work_free(wk);
			return st;
		}
	wk->lb = sr_alloc0(sizeof(float) * (s->nfv + RA_VL));
	wk->t = sr_alloc0(sizeof(float) * (s->nfv + RA_VL));
	wk->lbs = sr_alloc0(sizeof(float) * (s->nfv + RA_VL));
	wk->win = sr_alloc0(sizeof(int) * ((size_t) RA_FAR2_K * s->nfv + RA_VL));	/* (node_skylines) */
	wk->runs = sr_alloc(sizeof(int) * (nf + 1));
	wk->smin = sr_alloc(sizeof(float) * 11 * 2 * ns);	/* 2^10 > 720 sectors */
	/* (the sectors' terms, then their columns': sample_sectors) */
	wk->teq = sr_alloc(sizeof(float) * (nc + RA_VL));
	wk->gcs = sr_alloc(sizeof(float) * (nc + RA_VL));
	wk->gss = sr_alloc(sizeof(float) * (nc + RA_VL));
	wk->rows = sr_alloc(sizeof(int) * (nc + RA_VL));
	wk->cnt = sr_alloc(sizeof(int) * nf);
	wk->tlo = sr_alloc(sizeof(float) * (s->nfv + RA_VL));
	wk->thi = sr_alloc(sizeof(float) * (s->nfv + RA_VL));
	wk->wset = sr_alloc(sizeof(double) * nf);
	wk->trun = sr_alloc(sizeof(double) * nf);
	wk->acc = sr_alloc0(sizeof(double) * 3 * (size_t) nc * NR);
	wk->hist = sr_alloc0(sizeof(double) * (s->nsun + nf + 1));
	if (!wk->lb || !wk->lbs || !wk->t || !wk->win || !wk->runs || !wk->smin || !wk->teq || !wk->gcs || !wk->gss ||
		!wk->rows || !wk->cnt || !wk->tlo || !wk->thi || !wk->wset || !wk->trun || !wk->acc ||
		!wk->hist)
	{
		work_free(wk);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	return SR_OK;
}

void
sr_roofarea_free(sr_roofarea *ra)
{
	if (!ra)
		return;
	sky_free(&ra->sky);
	index_free(&ra->ix);
	if (ra->nst)
	{
		sr_free(ra->nst->nh);
		sr_free(ra->nst->nkey);
		sr_free(ra->nst->ready);
		sr_free(ra->nst->nval);
		sr_free(ra->nst->pend);
		sr_free(ra->nst);
	}
	work_free(&ra->w);
	for (int t = 0; t < ra->nwx; t++)
		work_free(&ra->wx[t]);
	sr_free(ra->wx);
	sr_free(ra);
}

int
sr_roofarea_nrays(const sr_roofarea *ra)
{
	return ra->sky.nf;
}

double
sr_roofarea_ray_azimuth(const sr_roofarea *ra, int j)
{
	return (j + 0.5) * 360.0 / ra->sky.nf - 180.0 / ra->sky.ns;
}

sr_status
sr_roofarea_prepare(const sr_cadastre *c, const sr_cadastre_opts *o,
					const sr_sky_hdr *sky, sr_roofarea **out, sr_err *err)
{
	sr_roofarea *ra;
	sr_status	st;

	*out = NULL;
	ra = sr_alloc0(sizeof(sr_roofarea));
	if (!ra)
		return sr_error(err, SR_ENOMEM, "out of memory");
	ra->c = c;
	ra->o = *o;
	ra->nst = sr_alloc0(sizeof(ra_store));
	if (!ra->nst)
	{
		sr_free(ra);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* (RA_TUNE: from the environment, to tune by hand) */
#ifdef RA_TUNE
	sr_roofarea_tune(ra, getenv("RA_TILE") ? atof(getenv("RA_TILE")) : RA_TILE_M,
					 getenv("RA_NEAR") ? atof(getenv("RA_NEAR")) : RA_NEAR_M,
					 getenv("RA_ANCH") ? atof(getenv("RA_ANCH")) : RA_ANCHOR_M);
	if (getenv("RA_LAT"))
		ra->lat = atoi(getenv("RA_LAT"));
	if (getenv("RA_ABLOCK"))
		ra->ablock = atoi(getenv("RA_ABLOCK"));
	if (getenv("RA_ATOL"))
		ra->atol = atof(getenv("RA_ATOL"));
	if (getenv("RA_FAR2"))
		sr_roofarea_far(ra, atof(getenv("RA_FAR2")),
						getenv("RA_FAR2_D") ? atof(getenv("RA_FAR2_D")) : RA_FAR2_D);
#else
	sr_roofarea_tune(ra, RA_TILE_M, RA_NEAR_M, RA_ANCHOR_M);
#endif
	if ((st = sky_build(&ra->sky, sky, o->sectors, o->rays_per_sector, err)) != SR_OK)
	{
		sr_free(ra->nst);
		sr_free(ra);
		return st;
	}
	if ((st = index_build(&ra->ix, sr_cadastre_obstacles(c), err)) != SR_OK ||
		(st = work_init(&ra->w, &ra->sky, err)) != SR_OK)
	{
		sr_roofarea_free(ra);
		return st;
	}
	{
		/* the shared far field's heights: RA_FAR2_K steps from the
		 * lowest obstacle's top up (the highest: every wall under it) */
		const sr_obstacles *obs = sr_cadastre_obstacles(c);
		double		zl = INFINITY, zh = -INFINITY;

		for (int o2 = 0; o2 < obs->n; o2++)
		{
			zl = fmin(zl, obs->ztop[o2]);
			zh = fmax(zh, obs->ztop[o2]);
		}
		/* (from a little under the lowest top: the eaves of its roof) */
		ra->f2_z0 = isfinite(zl) ? zl - 3.0 : 0.0;
		ra->f2_dz = isfinite(zl) ? (zh - zl + 3.0) / RA_FAR2_K : 0.0;
	}
	if (ra->f2_m > 0 && ra->near_m > 0 && !far_order_ok(ra))
		ra->f2_m = 0.0;			/* (its nodes would be computed too often) */
	*out = ra;
	return SR_OK;
}

void
sr_roofarea_tune(sr_roofarea *ra, double tile_m, double near_m, double anchor_m)
{
	ra->tile_m = tile_m;
	ra->near_m = near_m;
	ra->anchor_m = anchor_m > 0 ? anchor_m : tile_m;
	ra->lat = 2;
	ra->ablock = RA_ABLOCK;
	ra->atol = RA_ATOL;
	if (!(ra->f2_d > 0))
	{
		ra->f2_m = RA_FAR2_M;
		ra->f2_d = RA_FAR2_D;
	}
}

/* The shared far field: nodes' spacing (0: off) and its walls' distance */
void
sr_roofarea_far(sr_roofarea *ra, double spacing_m, double dist_m)
{
	ra->f2_m = spacing_m;
	ra->f2_d = dist_m;
	store_clear(ra->nst);
}

/* The smooth cells' blocks (cells; 0: every sample cast) and tolerance */
void
sr_roofarea_adaptive(sr_roofarea *ra, int block, double tol)
{
	ra->ablock = block;
	ra->atol = tol;
}

double
sr_roofarea_point(sr_roofarea *ra, double x, double y, double z, int exclude,
				  double tilt, double azimuth, float *rays, double *monthly)
{
	ra_work    *wk = &ra->w;
	const ra_plane *p = plane_get(ra, wk, tilt, azimuth);
	int			ne = tile_prepare(ra, wk, x, y, 0.0, z, z, z, exclude, ra->o.radius_m, 0.0, NULL);
	double		v;

	sample_skyline(ra, wk, 0, ne < 0 ? 0 : ne, wk->lb, x, y, 0.0f);
	if (rays)
		memcpy(rays, wk->t, sizeof(float) * ra->sky.nf);
	sample_sectors(ra, wk);
	beam_reset(ra, wk, p, NULL);
	sample_beam(ra, wk, p, NULL, 1.0);
	v = plane_diffuse(wk, p, ra->sky.nc) + wk->beam[0] + p->ground_a;
	if (monthly)
	{
		accumulate(ra, wk, p, 1.0);
		face_months(ra, wk, p, 1.0, monthly);
	}
	else
	{
		/* (leave the accumulators clean) */
		for (int j = 0; j < ra->sky.nf; j++)
			wk->hist[ra->sky.cs[j] + j + wk->cnt[j]] = 0.0;
	}
	return v;
}

static sr_status
face_compute(const sr_roofarea *ra, ra_work *wk, int i, sr_face_result *res,
			 sr_roof_cell **cells, int *ncells, int *cap, const sr_roofarea_adj *adj,
			 sr_err *err)
{
	sr_roofarea_adj none = {.floor_tan = NULL,
	.f_month = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	.yield_per_kwh = ra->o.performance_ratio};
	const sr_cadastre_opts *o = &ra->o;
	const sr_building *bs = sr_cadastre_buildings(ra->c);
	sr_face_info fi;
	const sr_mpoly *g;
	ra_frame	fr;
	double		sp, wsum = 0, usum = 0, sunny = 0, irr = 0, pvsum = 0, hpv_us = 0, thr;
	int			n, k;
	sr_status	st;
	const ra_plane *pr, *pm = NULL;

	sr_cadastre_face_info(ra->c, i, &fi);
	g = &bs[fi.b].geom;
	memset(res, 0, sizeof(*res));
	res->pv_specific_yield = NAN;
	res->building = fi.b;
	res->building_id = bs[fi.b].id;
	res->face = fi.poly + 1;
	res->tilt = fi.tilt;
	res->azimuth = fi.azimuth;
	res->area_m2 = fi.area3;
	/* spacing: wider for a face that would get more than max_samples */
	sp = o->spacing_m;
	if (fi.area3 > (double) o->max_samples * sp * sp)
		sp = sqrt(fi.area3 / o->max_samples);
	face_frame(&fi, g, &fr);
	n = face_samples(wk, o, &fi, g, &fr, &sp);
	if (n < 0)
		return sr_error(err, SR_ENOMEM, "out of memory");
	if (face_order(ra, wk, n, sp) < 0)
		return sr_error(err, SR_ENOMEM, "out of memory");
	pr = plane_get(ra, wk, fi.tilt, fi.azimuth);
	if (fi.tilt < o->flat_tilt_max && o->flat_module_tilt > 0)
		pm = plane_get(ra, wk, o->flat_module_tilt, 180.0);	/* (LRU: pr stays) */
	if (!adj)
		adj = &none;
	wk->floor_tan = adj->floor_tan;
	thr = o->sunny_class == 0 ? -INFINITY : o->class_thresholds[o->sunny_class - 1] * 1000.0;
	wk->thr = thr;
	/* the shared far field's nodes of the face: computed here on the
	 * calling thread; in a batch's thread, before the faces
	 * (sr_roofarea_faces_cells) */
	wk->f2ok = face_nodes(ra, fi.excl, &wk->f2r[0], &wk->f2r[1], &wk->f2r[2], &wk->f2r[3]);
	if (wk->f2ok && !ra_noalloc)
	{
		int			one = i;

		if (!store_reserve_faces(ra, 1, &one) || !store_compute(ra, wk))
			return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* (smooth cells with derived samples and the far skyline: the exact
	 * cast, near_m = 0, casts every sample) */
	st = face_run(ra, wk, &fr, fi.excl, pr, pm,
				  ra->lat > 1 && ra->ablock >= 2 * ra->lat && ra->near_m > 0 && wk->fine_in > 0 &&
				  ra->sky.nsun < 65536,
				  err);
	if (st != SR_OK)
	{
		wk->floor_tan = NULL;
		return st;
	}
	/* the trees */
	trees_apply(adj, wk->samp, n);
	/* the sunny edges, at half the spacing */
	k = face_refine(ra, wk, &fr, fi.excl, pr, pm, n, thr, adj, err);
	wk->floor_tan = NULL;
	if (k < 0)
		return sr_error(err, SR_ENOMEM, "out of memory");

	/* the face */
	/* (the pairs for the percentiles; then sunny_fine's cells: a double
	 * and two bytes each) */
	k = wk->nu * wk->nv + (2 * wk->nu * wk->nv + 1 + 7) / 8;
	if (!grow((void **) &wk->vals, &wk->vals_cap, 2 * n > k ? 2 * n : k, sizeof(double)))
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (k = 0; k < n; k++)
	{
		const ra_samp *sa = &wk->samp[k];

		wsum += sa->w;
		usum += sa->wu;
		irr += sa->w * sa->irr;
		hpv_us += sa->wu * sa->pv;
		if (sa->pv >= thr)
		{
			sunny += sa->wu;
			pvsum += sa->wu * sa->pv;
		}
		wk->vals[2 * k] = sa->irr;
		wk->vals[2 * k + 1] = sa->w;
	}
	qsort(wk->vals, n, 2 * sizeof(double), cmp_pair);
	res->samples = n;
	res->annual_kwh_m2 = wsum > 0 ? irr / wsum / 1000.0 : 0.0;
	face_months(ra, wk, pr, wsum, res->monthly_kwh_m2);
	{
		/* months: the trees' monthly factors, then summing to the year */
		double		msum = 0.0;

		for (k = 0; k < 12; k++)
			msum += (res->monthly_kwh_m2[k] *= adj->f_month[k]);
		for (k = 0; k < 12; k++)
			res->monthly_kwh_m2[k] *= msum > 0 ? irr / wsum / msum / 1000.0 : 1.0 / 1000.0;
	}
	res->p10_kwh_m2 = wpercentile(wk->vals, n, wsum, 0.1) / 1000.0;
	res->p50_kwh_m2 = wpercentile(wk->vals, n, wsum, 0.5) / 1000.0;
	res->p90_kwh_m2 = wpercentile(wk->vals, n, wsum, 0.9) / 1000.0;
	{
		double		open = pr->dopen + pr->bopen + pr->ground_a;

		res->shading_loss_pct = open > 0 && wsum > 0 ? 100.0 * (1.0 - irr / wsum / open) : 0.0;
		if (res->shading_loss_pct < 0 && res->shading_loss_pct > -1e-4)
			res->shading_loss_pct = 0.0;
	}
	if (wk->fine_in > 0)
		sunny_fine(wk, thr, fi.area3 / wk->fine_in, &sunny, &pvsum);
	res->usable_area_m2 = usum;
	res->sunny_area_m2 = sunny;
	if (usum < o->min_usable_area_m2 || usum <= 0)
		res->potential_class = 0;
	else
	{
		double		hpv = hpv_us / usum / 1000.0;

		res->potential_class = hpv < o->class_thresholds[0] ? 1 :
			hpv < o->class_thresholds[1] ? 2 : hpv < o->class_thresholds[2] ? 3 : 4;
		if (sunny >= o->min_usable_area_m2 && sunny > 0)
		{
			/* the PV on the sunny area: its mean PV-plane irradiation
			 * (kWh/m2) times the yield per kWh/m2 */
			res->pv_kwp = sunny * o->kwp_per_m2;
			res->pv_specific_yield = pvsum / sunny / 1000.0 * adj->yield_per_kwh;
			res->pv_kwh_year = res->pv_kwp * res->pv_specific_yield;
		}
	}
	if (cells)
	{
		double		hs = 0.5 * sp;

		if (n > *cap)
		{
			int			c2 = n + 64;
			sr_roof_cell *nc = ra_realloc(*cells, sizeof(sr_roof_cell) * c2);

			if (!nc)
				return sr_error(err, SR_ENOMEM, "out of memory");
			*cells = nc;
			*cap = c2;
		}
		for (k = 0; k < n; k++)
		{
			const ra_samp *sa = &wk->samp[k];
			sr_roof_cell *ce = &(*cells)[k];
			double		cc[3];

			ce->x = sa->x;
			ce->y = sa->y;
			ce->z = sa->z;
			for (int d = 0; d < 3; d++)
			{
				cc[d] = fr.o[d] + sa->u * fr.eu[d] + sa->v * fr.ev[d];
				ce->hu[d] = hs * fr.eu[d];
				ce->hv[d] = hs * fr.ev[d];
			}
			ce->cx = cc[0];
			ce->cy = cc[1];
			ce->cz = cc[2];
			ce->area_m2 = sa->w;
			ce->usable_m2 = sa->wu;
			ce->annual_kwh_m2 = sa->irr / 1000.0;
			ce->pv_kwh_m2 = sa->pv / 1000.0;
			ce->sunny = sa->pv >= thr && sa->wu > 0;
		}
		*ncells = n;
	}
	return SR_OK;
}

/* A work left in the middle of a face (a buffer could not grow): its
 * month accumulators back to zero, for the next face. */
static void
work_clean(const sr_roofarea *ra, ra_work *wk)
{
	memset(wk->acc, 0, sizeof(double) * 3 * (size_t) ra->sky.nc * NR);
	memset(wk->hist, 0, sizeof(double) * (ra->sky.nsun + ra->sky.nf + 1));
	wk->floor_tan = NULL;
	wk->tslot = -1;
}

sr_status
sr_roofarea_face(sr_roofarea *ra, int i, sr_face_result *res, sr_roof_cell **cells,
				 int *ncells, int *cap, const sr_roofarea_adj *adj, sr_err *err)
{
	sr_status	st = face_compute(ra, &ra->w, i, res, cells, ncells, cap, adj, err);

	if (st != SR_OK)
		work_clean(ra, &ra->w);
	return st;
}

/* ---------- faces on several threads ---------- */

typedef struct ra_batch
{
	const sr_roofarea *ra;
	ra_work   **works;			/* [threads]: the caller's, then ra->wx */
	int			n;
	const int  *faces;
	const sr_roofarea_adj *adj;
	sr_face_result *res;
	sr_status  *st;
	int		   *by;				/* the thread that computed each face (and
								 * each block of nodes, block_task) */
	sr_roof_cell **cells;		/* each face's cells (NULL: none wanted), */
	int		   *ncells;			/* their number */
	int		   *caps;			/* and its buffer's capacity */
} ra_batch;

/* A block of the shared far field's nodes (store_reserve_faces) */
static void
block_task(void *arg, int t, int p)
{
	ra_batch   *B = arg;

	ra_noalloc = 1;
	B->by[p] = t;
	(void) block_compute(B->ra, B->works[t], p);
	ra_noalloc = 0;
}

static void
batch_task(void *arg, int t, int k)
{
	ra_batch   *B = arg;
	ra_work    *wk = B->works[t];
	sr_err		e;

	ra_noalloc = 1;
	sr_err_clear(&e);
	B->by[k] = t;
	B->st[k] = face_compute(B->ra, wk, B->faces[k], &B->res[k],
							B->cells ? &B->cells[k] : NULL, B->cells ? &B->ncells[k] : NULL,
							B->cells ? &B->caps[k] : NULL, &B->adj[k], &e);
	if (B->st[k] != SR_OK)
		work_clean(B->ra, wk);
	ra_noalloc = 0;
}

sr_status
sr_roofarea_faces(sr_roofarea *ra, int n, const int *faces, const sr_roofarea_adj *adj,
				  sr_face_result *res, int nthreads, sr_err *err)
{
	return sr_roofarea_faces_cells(ra, n, faces, adj, res, NULL, NULL, NULL, nthreads, err);
}

/* Cells a face may get, for its buffer before the threads run: its area's
 * cells and a margin for the cells its outline cuts (a face whose cells
 * exceed it is computed again on the calling thread, which grows the
 * buffer) */
static int
cells_estimate(const sr_roofarea *ra, int i)
{
	sr_face_info fi;
	double		sp = ra->o.spacing_m, side;

	sr_cadastre_face_info(ra->c, i, &fi);
	if (fi.area3 > (double) ra->o.max_samples * sp * sp)
		sp = sqrt(fi.area3 / ra->o.max_samples);
	side = sqrt(fmax(fi.area3, 0.0)) / sp + 3.0;
	return (int) fmin(1.3 * side * side + 64.0, (double) ra->o.max_samples * 2.0 + 64.0);
}

sr_status
sr_roofarea_faces_cells(sr_roofarea *ra, int n, const int *faces, const sr_roofarea_adj *adj,
						sr_face_result *res, sr_roof_cell **cells, int *ncells, int *caps,
						int nthreads, sr_err *err)
{
	ra_batch	B;
	ra_work   **works;
	sr_status	st = SR_OK;

	nthreads = sr_parallel_threads(nthreads, n);
	/* the cells' buffers, large enough for most faces */
	if (cells)
		for (int k = 0; k < n; k++)
		{
			int			est = cells_estimate(ra, faces[k]);

			ncells[k] = 0;
			if (caps[k] < est)
			{
				sr_roof_cell *nc = sr_realloc(cells[k], sizeof(sr_roof_cell) * est);

				if (!nc)
					return sr_error(err, SR_ENOMEM, "out of memory");
				cells[k] = nc;
				caps[k] = est;
			}
		}
	/* the threads' works, made once (their buffers grow below) */
	if (nthreads - 1 > ra->nwx)
	{
		ra_work    *wx = sr_alloc0(sizeof(ra_work) * (nthreads - 1));

		if (!wx)
			return sr_error(err, SR_ENOMEM, "out of memory");
		for (int t = 0; t < ra->nwx; t++)
			wx[t] = ra->wx[t];
		for (int t = ra->nwx; t < nthreads - 1; t++)
			if ((st = work_init(&wx[t], &ra->sky, err)) != SR_OK)
			{
				for (int u = ra->nwx; u < t; u++)
					work_free(&wx[u]);
				sr_free(wx);
				return st;
			}
		sr_free(ra->wx);
		ra->wx = wx;
		ra->nwx = nthreads - 1;
	}
	works = sr_alloc(sizeof(ra_work *) * nthreads);
	B.st = sr_alloc(sizeof(sr_status) * (n + 1));
	B.by = sr_alloc(sizeof(int) * (n + 1));
	if (!works || !B.st || !B.by)
	{
		sr_free(works);
		sr_free(B.st);
		sr_free(B.by);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int t = 0; t < nthreads; t++)
		works[t] = t == 0 ? &ra->w : &ra->wx[t - 1];
	B.ra = ra;
	B.works = works;
	B.n = n;
	B.faces = faces;
	B.adj = adj;
	B.res = res;
	B.cells = cells;
	B.ncells = ncells;
	B.caps = caps;
	/* the shared far field's nodes of these faces first, each block on
	 * one thread (those a thread could not finish, again here) */
	if (!store_reserve_faces(ra, n, faces))
		st = sr_error(err, SR_ENOMEM, "out of memory");
	else if (ra->nst->npend > 0)
	{
		int			np = ra->nst->npend;
		int		   *by = np > n ? sr_realloc(B.by, sizeof(int) * (np + 1)) : B.by;

		if (!by)
			st = sr_error(err, SR_ENOMEM, "out of memory");
		else
		{
			B.by = by;
			sr_parallel_tasks(nthreads, np, block_task, &B);
			sr_check_interrupts();	/* (no helper thread is alive) */
			/* (again on the thread's work that could not: it grows) */
			for (int p = 0; p < np && st == SR_OK; p++)
				if (!block_compute(ra, works[B.by[p]], p))
					st = sr_error(err, SR_ENOMEM, "out of memory");
			ra->nst->npend = 0;
		}
	}
	if (st != SR_OK)
	{
		sr_free(works);
		sr_free(B.st);
		sr_free(B.by);
		return st;
	}
	sr_parallel_tasks(nthreads, n, batch_task, &B);
	/* the faces a thread could not finish without a larger buffer, or left
	 * for a pending interrupt (sr_parallel_checkpoint): again here, on
	 * that thread's work, which grows (so that it will not need to for
	 * faces of that size again) */
	for (int k = 0; k < n && st == SR_OK; k++)
		if (B.st[k] != SR_OK)
		{
			ra_work    *wk = works[B.by[k]];

			sr_check_interrupts();	/* (no helper thread is alive) */
			st = face_compute(ra, wk, faces[k], &res[k], cells ? &cells[k] : NULL,
							  cells ? &ncells[k] : NULL, cells ? &caps[k] : NULL, &adj[k], err);
			if (st != SR_OK)
				work_clean(ra, wk);
		}
	sr_free(works);
	sr_free(B.st);
	sr_free(B.by);
	return st;
}
