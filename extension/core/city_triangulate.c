/*
 * city_triangulate.c — triangulation of planar 3D polygons with holes
 * (sr_city3d.h).
 *
 * The polygon is projected on the coordinate plane across the largest
 * component of its normal, then cut by ear clipping; holes are first joined
 * to the exterior by bridges to their leftmost vertex.  This is the method
 * of Mapbox's earcut (V. Agafonkin, ISC licence), rewritten in C on index
 * links: filter duplicate and collinear points, clip ears, then cure local
 * self-intersections, then split the remainder along a valid diagonal
 * (earcut recurses into the two halves; here they wait on a work stack on
 * the heap, so that hostile input cannot exhaust the thread's stack).
 * Above 80 points the ear test looks only at the points whose z-order (a
 * Morton code of the position) falls in the candidate ear's box, as earcut
 * does, so a polygon of 50,000 points is cut in well under a second.
 * Triangles are finally wound counter-clockwise around the face's normal.
 *
 * Ear clipping is quadratic on a polygon with many reflex vertices (a
 * million-point star: minutes), so every loop over nodes counts its steps
 * and sr_check_interrupts() runs every TRI_CHECK_EVERY of them: a cancel or
 * statement_timeout lands within milliseconds.  Only sr_alloc memory is held
 * meanwhile.
 */
#include "sr_city3d.h"

#include <math.h>
#include <string.h>

void
sr_city_newell(const double *xyz, int n, double normal[3])
{
	double		nx = 0,
				ny = 0,
				nz = 0;

	if (n > 1 && xyz[0] == xyz[3 * (n - 1)] && xyz[1] == xyz[3 * (n - 1) + 1] &&
		xyz[2] == xyz[3 * (n - 1) + 2])
		n--;					/* closing point repeated */
	/* relative to the first point: Lambert-93 coordinates are ~1e6 m */
	for (int i = 0; i < n; i++)
	{
		const double *a = xyz + 3 * i,
				   *b = xyz + 3 * ((i + 1) % n);
		double		ax = a[0] - xyz[0],
					ay = a[1] - xyz[1],
					az = a[2] - xyz[2],
					bx = b[0] - xyz[0],
					by = b[1] - xyz[1],
					bz = b[2] - xyz[2];

		nx += (ay - by) * (az + bz);
		ny += (az - bz) * (ax + bx);
		nz += (ax - bx) * (ay + by);
	}
	normal[0] = nx;
	normal[1] = ny;
	normal[2] = nz;
}

/* ---- the ear clipper on a doubly linked ring of nodes ------------------------ */

typedef struct enode
{
	int			i;				/* index of the point */
	double		x,
				y;
	int			prev,
				next;			/* node indices */
	int32_t		z;				/* z-order, 0 = not computed */
	int			prevZ,
				nextZ;			/* z-order list, -1 = none */
	bool		steiner;
} enode;

typedef struct ecut
{
	enode	   *n;
	int			nn,
				cap;
	uint32_t   *tri;
	int			ntri;
	double		minx,
				miny,
				inv_size;		/* z-order hashing; inv_size 0 = off */
	unsigned   *steps;			/* node steps since the last interrupt check */
	struct ework *work;			/* pieces waiting to be cut (earcut_linked) */
	int			nwork,
				capwork;
} ecut;

#define N(k) (E->n[k])

/* node steps between two interrupt checks (about a millisecond) */
#define TRI_CHECK_EVERY (1u << 18)

/* Count one step of a loop over nodes; check for interrupts now and then. */
static inline void
step(const ecut *E)
{
	if (++*E->steps >= TRI_CHECK_EVERY)
	{
		*E->steps = 0;
		sr_check_interrupts();
	}
}

static double
area(const ecut *E, int p, int q, int r)
{
	return (N(q).y - N(p).y) * (N(r).x - N(q).x) - (N(q).x - N(p).x) * (N(r).y - N(q).y);
}

static bool
equals(const ecut *E, int a, int b)
{
	return N(a).x == N(b).x && N(a).y == N(b).y;
}

static int
insert_node(ecut *E, int i, double x, double y, int last)
{
	int			p = E->nn++;

	N(p).i = i;
	N(p).x = x;
	N(p).y = y;
	N(p).steiner = false;
	N(p).z = 0;
	N(p).prevZ = N(p).nextZ = -1;
	if (last < 0)
	{
		N(p).prev = p;
		N(p).next = p;
	}
	else
	{
		N(p).next = N(last).next;
		N(p).prev = last;
		N(N(last).next).prev = p;
		N(last).next = p;
	}
	return p;
}

static void
remove_node(ecut *E, int p)
{
	N(N(p).next).prev = N(p).prev;
	N(N(p).prev).next = N(p).next;
	if (N(p).prevZ >= 0)
		N(N(p).prevZ).nextZ = N(p).nextZ;
	if (N(p).nextZ >= 0)
		N(N(p).nextZ).prevZ = N(p).prevZ;
}

/* Morton code of a point in [0, 32767]^2 of the polygon's box. */
static int32_t
z_order(const ecut *E, double px, double py)
{
	/* clamped: a hole outside the exterior ring (invalid data) stays defined */
	double		fx = fmin(fmax((px - E->minx) * E->inv_size, 0), 32767),
				fy = fmin(fmax((py - E->miny) * E->inv_size, 0), 32767);
	uint32_t	x = (uint32_t) fx,
				y = (uint32_t) fy;

	x = (x | (x << 8)) & 0x00FF00FFu;
	x = (x | (x << 4)) & 0x0F0F0F0Fu;
	x = (x | (x << 2)) & 0x33333333u;
	x = (x | (x << 1)) & 0x55555555u;
	y = (y | (y << 8)) & 0x00FF00FFu;
	y = (y | (y << 4)) & 0x0F0F0F0Fu;
	y = (y | (y << 2)) & 0x33333333u;
	y = (y | (y << 1)) & 0x55555555u;
	return (int32_t) (x | (y << 1));
}

/* Sort the z-order list starting at 'list' by z (S. Tatham's linked-list
 * merge sort); returns its new head. */
static int
sort_linked(ecut *E, int list)
{
	int			in_size = 1,
				merges;

	do
	{
		int			p = list,
					tail = -1;

		step(E);
		list = -1;
		merges = 0;
		while (p >= 0)
		{
			int			q = p,
						psize = 0,
						qsize = in_size;

			merges++;
			for (int i = 0; i < in_size; i++)
			{
				psize++;
				q = N(q).nextZ;
				if (q < 0)
					break;
			}
			while (psize > 0 || (qsize > 0 && q >= 0))
			{
				int			e;

				step(E);
				if (psize != 0 && (qsize == 0 || q < 0 || N(p).z <= N(q).z))
				{
					e = p;
					p = N(p).nextZ;
					psize--;
				}
				else
				{
					e = q;
					q = N(q).nextZ;
					qsize--;
				}
				if (tail >= 0)
					N(tail).nextZ = e;
				else
					list = e;
				N(e).prevZ = tail;
				tail = e;
			}
			p = q;
		}
		N(tail).nextZ = -1;
		in_size *= 2;
	} while (merges > 1);
	return list;
}

/* Link the ring's nodes in z-order. */
static void
index_curve(ecut *E, int start)
{
	int			p = start;

	do
	{
		step(E);
		if (N(p).z == 0)
			N(p).z = z_order(E, N(p).x, N(p).y);
		N(p).prevZ = N(p).prev;
		N(p).nextZ = N(p).next;
		p = N(p).next;
	} while (p != start);
	N(N(p).prevZ).nextZ = -1;
	N(p).prevZ = -1;
	sort_linked(E, p);
}

static double
signed_area(const double *xy, int start, int end)
{
	double		sum = 0;

	for (int i = start, j = end - 1; i < end; j = i++)
		sum += (xy[2 * j] - xy[2 * i]) * (xy[2 * i + 1] + xy[2 * j + 1]);
	return sum;
}

/* A ring of points [start, end) as a linked list in the given winding. */
static int
linked_list(ecut *E, const double *xy, int start, int end, bool clockwise)
{
	int			last = -1;

	if (clockwise == (signed_area(xy, start, end) > 0))
		for (int i = start; i < end; i++)
			last = insert_node(E, i, xy[2 * i], xy[2 * i + 1], last);
	else
		for (int i = end - 1; i >= start; i--)
			last = insert_node(E, i, xy[2 * i], xy[2 * i + 1], last);
	if (last >= 0 && equals(E, last, N(last).next))
	{
		int			nx = N(last).next;

		remove_node(E, last);
		last = nx;
	}
	return last;
}

/* Drop duplicate and collinear points between start and end. */
static int
filter_points(ecut *E, int start, int end)
{
	int			p;
	bool		again;

	if (start < 0)
		return start;
	if (end < 0)
		end = start;
	p = start;
	do
	{
		step(E);
		again = false;
		if (!N(p).steiner && (equals(E, p, N(p).next) || area(E, N(p).prev, p, N(p).next) == 0))
		{
			remove_node(E, p);
			p = end = N(p).prev;
			if (p == N(p).next)
				break;
			again = true;
		}
		else
			p = N(p).next;
	} while (again || p != end);
	return end;
}

static bool
point_in_triangle(double ax, double ay, double bx, double by, double cx, double cy,
				  double px, double py)
{
	return (cx - px) * (ay - py) >= (ax - px) * (cy - py) &&
		(ax - px) * (by - py) >= (bx - px) * (ay - py) &&
		(bx - px) * (cy - py) >= (cx - px) * (by - py);
}

static bool
is_ear(const ecut *E, int ear)
{
	int			a = N(ear).prev,
				b = ear,
				c = N(ear).next,
				p;
	double		ax = N(a).x,
				ay = N(a).y,
				bx = N(b).x,
				by = N(b).y,
				cx = N(c).x,
				cy = N(c).y;
	double		x0 = fmin(ax, fmin(bx, cx)),
				y0 = fmin(ay, fmin(by, cy)),
				x1 = fmax(ax, fmax(bx, cx)),
				y1 = fmax(ay, fmax(by, cy));

	if (area(E, a, b, c) >= 0)
		return false;			/* reflex */
	for (p = N(c).next; p != a; p = N(p).next)
	{
		step(E);
		if (N(p).x >= x0 && N(p).x <= x1 && N(p).y >= y0 && N(p).y <= y1 &&
			point_in_triangle(ax, ay, bx, by, cx, cy, N(p).x, N(p).y) &&
			area(E, N(p).prev, p, N(p).next) >= 0)
			return false;
	}
	return true;
}

/* is_ear, looking only at the points whose z-order is in the ear's box */
static bool
is_ear_hashed(const ecut *E, int ear)
{
	int			a = N(ear).prev,
				b = ear,
				c = N(ear).next,
				p,
				n;
	double		ax = N(a).x,
				ay = N(a).y,
				bx = N(b).x,
				by = N(b).y,
				cx = N(c).x,
				cy = N(c).y;
	double		x0 = fmin(ax, fmin(bx, cx)),
				y0 = fmin(ay, fmin(by, cy)),
				x1 = fmax(ax, fmax(bx, cx)),
				y1 = fmax(ay, fmax(by, cy));
	int32_t		minz,
				maxz;

	if (area(E, a, b, c) >= 0)
		return false;
	minz = z_order(E, x0, y0);
	maxz = z_order(E, x1, y1);
#define BLOCKS(q) (step(E), N(q).x >= x0 && N(q).x <= x1 && N(q).y >= y0 && N(q).y <= y1 && (q) != a && (q) != c && \
				   point_in_triangle(ax, ay, bx, by, cx, cy, N(q).x, N(q).y) && \
				   area(E, N(q).prev, (q), N(q).next) >= 0)
	p = N(ear).prevZ;
	n = N(ear).nextZ;
	while (p >= 0 && N(p).z >= minz && n >= 0 && N(n).z <= maxz)
	{
		if (BLOCKS(p))
			return false;
		p = N(p).prevZ;
		if (BLOCKS(n))
			return false;
		n = N(n).nextZ;
	}
	while (p >= 0 && N(p).z >= minz)
	{
		if (BLOCKS(p))
			return false;
		p = N(p).prevZ;
	}
	while (n >= 0 && N(n).z <= maxz)
	{
		if (BLOCKS(n))
			return false;
		n = N(n).nextZ;
	}
#undef BLOCKS
	return true;
}

static int
sign(double v)
{
	return (v > 0) - (v < 0);
}

static bool
on_segment(const ecut *E, int p, int q, int r)
{
	return N(q).x <= fmax(N(p).x, N(r).x) && N(q).x >= fmin(N(p).x, N(r).x) &&
		N(q).y <= fmax(N(p).y, N(r).y) && N(q).y >= fmin(N(p).y, N(r).y);
}

static bool
intersects(const ecut *E, int p1, int q1, int p2, int q2)
{
	int			o1 = sign(area(E, p1, q1, p2)),
				o2 = sign(area(E, p1, q1, q2)),
				o3 = sign(area(E, p2, q2, p1)),
				o4 = sign(area(E, p2, q2, q1));

	if (o1 != o2 && o3 != o4)
		return true;
	if (o1 == 0 && on_segment(E, p1, p2, q1))
		return true;
	if (o2 == 0 && on_segment(E, p1, q2, q1))
		return true;
	if (o3 == 0 && on_segment(E, p2, p1, q2))
		return true;
	if (o4 == 0 && on_segment(E, p2, q1, q2))
		return true;
	return false;
}

static bool
intersects_polygon(const ecut *E, int a, int b)
{
	int			p = a;

	do
	{
		step(E);
		if (N(p).i != N(a).i && N(N(p).next).i != N(a).i && N(p).i != N(b).i &&
			N(N(p).next).i != N(b).i && intersects(E, p, N(p).next, a, b))
			return true;
		p = N(p).next;
	} while (p != a);
	return false;
}

static bool
locally_inside(const ecut *E, int a, int b)
{
	return area(E, N(a).prev, a, N(a).next) < 0 ?
		area(E, a, b, N(a).next) >= 0 && area(E, a, N(a).prev, b) >= 0 :
		area(E, a, b, N(a).prev) < 0 || area(E, a, N(a).next, b) < 0;
}

static bool
middle_inside(const ecut *E, int a, int b)
{
	int			p = a;
	bool		inside = false;
	double		px = (N(a).x + N(b).x) / 2,
				py = (N(a).y + N(b).y) / 2;

	do
	{
		int			q = N(p).next;

		step(E);
		if (((N(p).y > py) != (N(q).y > py)) && N(q).y != N(p).y &&
			(px < (N(q).x - N(p).x) * (py - N(p).y) / (N(q).y - N(p).y) + N(p).x))
			inside = !inside;
		p = q;
	} while (p != a);
	return inside;
}

static bool
is_valid_diagonal(const ecut *E, int a, int b)
{
	return N(N(a).next).i != N(b).i && N(N(a).prev).i != N(b).i && !intersects_polygon(E, a, b) &&
		((locally_inside(E, a, b) && locally_inside(E, b, a) && middle_inside(E, a, b) &&
		  (area(E, N(a).prev, a, N(b).prev) != 0 || area(E, a, N(b).prev, b) != 0)) ||
		 (equals(E, a, b) && area(E, N(a).prev, a, N(a).next) > 0 &&
		  area(E, N(b).prev, b, N(b).next) > 0));
}

/* Link a and b by a diagonal, duplicating both: two rings. */
static int
split_polygon(ecut *E, int a, int b)
{
	int			a2 = E->nn++,
				b2 = E->nn++,
				an = N(a).next,
				bp = N(b).prev;

	N(a2) = N(a);
	N(b2) = N(b);
	N(a2).z = N(b2).z = 0;		/* new nodes: out of the z-order list */
	N(a2).prevZ = N(a2).nextZ = N(b2).prevZ = N(b2).nextZ = -1;
	N(a2).steiner = N(b2).steiner = false;
	N(a).next = b;
	N(b).prev = a;
	N(a2).next = an;
	N(an).prev = a2;
	N(b2).next = a2;
	N(a2).prev = b2;
	N(bp).next = b2;
	N(b2).prev = bp;
	return b2;
}

static void
emit(ecut *E, int a, int b, int c)
{
	E->tri[3 * E->ntri] = N(a).i;
	E->tri[3 * E->ntri + 1] = N(b).i;
	E->tri[3 * E->ntri + 2] = N(c).i;
	E->ntri++;
}

static int
cure_local_intersections(ecut *E, int start)
{
	int			p = start;

	do
	{
		int			a = N(p).prev,
					b = N(N(p).next).next;

		step(E);
		if (!equals(E, a, b) && intersects(E, a, p, N(p).next, b) &&
			locally_inside(E, a, b) && locally_inside(E, b, a))
		{
			emit(E, a, p, b);
			remove_node(E, p);
			remove_node(E, N(p).next);
			p = start = b;
		}
		p = N(p).next;
	} while (p != start);
	return filter_points(E, p, -1);
}

/* A piece of the polygon waiting to be cut: its ring and the pass it is at. */
typedef struct ework
{
	int			ear,
				pass;
} ework;

/* Push a piece on the work stack (grown on demand); false when out of
 * memory. */
static bool
push_work(ecut *E, int ear, int pass)
{
	if (ear < 0)
		return true;
	if (E->nwork == E->capwork)
	{
		int			cap = E->capwork ? 2 * E->capwork : 64;
		ework	   *w = E->work ? sr_realloc(E->work, sizeof(ework) * cap) : sr_alloc(sizeof(ework) * cap);

		if (!w)
			return false;
		E->work = w;
		E->capwork = cap;
	}
	E->work[E->nwork].ear = ear;
	E->work[E->nwork].pass = pass;
	E->nwork++;
	return true;
}

/* Split the ring at 'start' along a valid diagonal: the two rings pushed,
 * the first to be cut first (as earcut's recursion cuts them). */
static bool
split_earcut(ecut *E, int start)
{
	int			a = start;

	do
	{
		int			b = N(N(a).next).next;

		while (b != N(a).prev)
		{
			step(E);
			if (N(a).i != N(b).i && is_valid_diagonal(E, a, b))
			{
				int			c = split_polygon(E, a, b);

				a = filter_points(E, a, N(a).next);
				c = filter_points(E, c, N(c).next);
				return push_work(E, c, 0) && push_work(E, a, 0);
			}
			b = N(b).next;
		}
		a = N(a).next;
	} while (a != start);
	return true;
}

/*
 * Cut the ring at 'ear' into triangles.  Earcut recurses (a ring where no
 * ear is left goes through the next pass, a split ring into its two
 * halves), as deep as the splits nest: on hostile input (a ring that
 * crosses itself at every turn) that is a depth of the order of its
 * points, beyond any stack for a million.  Here the pieces wait on a stack
 * of the heap instead, cut in the same order; false when out of memory.
 */
static bool
earcut_linked(ecut *E, int ear0)
{
	if (!push_work(E, ear0, 0))
		return false;
	while (E->nwork > 0)
	{
		int			ear = E->work[E->nwork - 1].ear,
					pass = E->work[E->nwork - 1].pass,
					stop;

		E->nwork--;
		if (pass == 0 && E->inv_size > 0)
			index_curve(E, ear);
		stop = ear;
		while (N(ear).prev != N(ear).next)
		{
			int			prev = N(ear).prev,
						next = N(ear).next;

			step(E);
			if (E->inv_size > 0 ? is_ear_hashed(E, ear) : is_ear(E, ear))
			{
				emit(E, prev, ear, next);
				remove_node(E, ear);
				ear = N(next).next;
				stop = N(next).next;
				continue;
			}
			ear = next;
			if (ear == stop)
			{
				bool		ok;

				if (pass == 0)
					ok = push_work(E, filter_points(E, ear, -1), 1);
				else if (pass == 1)
					ok = push_work(E, cure_local_intersections(E, filter_points(E, ear, -1)), 2);
				else
					ok = split_earcut(E, ear);
				if (!ok)
					return false;
				break;
			}
		}
	}
	return true;
}

static int
leftmost(const ecut *E, int start)
{
	int			p = start,
				l = start;

	do
	{
		step(E);
		if (N(p).x < N(l).x || (N(p).x == N(l).x && N(p).y < N(l).y))
			l = p;
		p = N(p).next;
	} while (p != start);
	return l;
}

static bool
sector_contains_sector(const ecut *E, int m, int p)
{
	return area(E, N(m).prev, m, N(p).prev) < 0 && area(E, N(p).next, m, N(m).next) < 0;
}

/* The vertex of the outer ring to bridge the hole's leftmost point to. */
static int
find_hole_bridge(const ecut *E, int hole, int outer)
{
	int			p = outer,
				m = -1,
				stop;
	double		hx = N(hole).x,
				hy = N(hole).y,
				qx = -INFINITY,
				mx,
				my,
				tan_min = INFINITY;

	/* the segment nearest on the left of the hole's point, on its line */
	do
	{
		int			q = N(p).next;

		step(E);
		if (hy <= N(p).y && hy >= N(q).y && N(q).y != N(p).y)
		{
			double		x = N(p).x + (hy - N(p).y) * (N(q).x - N(p).x) / (N(q).y - N(p).y);

			if (x <= hx && x > qx)
			{
				qx = x;
				m = N(p).x < N(q).x ? p : q;
				if (x == hx)
					return m;	/* the hole touches the outer segment */
			}
		}
		p = q;
	} while (p != outer);
	if (m < 0)
		return -1;
	/* a reflex vertex inside the triangle (hole, segment hit, m) would block
	 * the bridge: take the one with the smallest angle */
	stop = m;
	mx = N(m).x;
	my = N(m).y;
	p = m;
	do
	{
		step(E);
		if (hx >= N(p).x && N(p).x >= mx && hx != N(p).x &&
			point_in_triangle(hy < my ? hx : qx, hy, mx, my, hy < my ? qx : hx, hy, N(p).x, N(p).y))
		{
			double		tan = fabs(hy - N(p).y) / (hx - N(p).x);

			if (locally_inside(E, p, hole) &&
				(tan < tan_min || (tan == tan_min && (N(p).x > N(m).x ||
													   (N(p).x == N(m).x && sector_contains_sector(E, m, p))))))
			{
				m = p;
				tan_min = tan;
			}
		}
		p = N(p).next;
	} while (p != stop);
	return m;
}

static int
cmp_x(const void *a, const void *b, void *arg)
{
	const ecut *E = arg;
	int			p = *(const int *) a,
				q = *(const int *) b;

	if (N(p).x != N(q).x)
		return N(p).x < N(q).x ? -1 : 1;
	if (N(p).y != N(q).y)
		return N(p).y < N(q).y ? -1 : 1;
	return 0;
}

/* insertion sort (a face has few holes); qsort_r is not portable */
static void
sort_holes(int *h, int n, ecut *E)
{
	for (int i = 1; i < n; i++)
	{
		int			v = h[i],
					j = i - 1;

		while (j >= 0 && cmp_x(&h[j], &v, E) > 0)
		{
			step(E);
			h[j + 1] = h[j];
			j--;
		}
		h[j + 1] = v;
	}
}

int
sr_city_triangulate(const double *xyz, const int *ring_start, int nrings,
					const double normal[3], uint32_t *tri)
{
	int			npts = ring_start[nrings] - ring_start[0],
				base = ring_start[0],
				ax,
				ay,
				outer,
				nholes = 0;
	double		an[3] = {fabs(normal[0]), fabs(normal[1]), fabs(normal[2])};
	double	   *xy;
	int		   *holes;
	unsigned	steps = 0;
	ecut		E;

	if (npts < 3)
		return 0;
	/* drop the axis of the normal's largest component; the projection keeps
	 * the polygon simple for any plane not parallel to that axis */
	if (an[2] >= an[0] && an[2] >= an[1])
		ax = 0, ay = 1;
	else if (an[0] >= an[1])
		ax = 1, ay = 2;
	else
		ax = 2, ay = 0;
	xy = sr_alloc(sizeof(double) * 2 * npts);
	holes = sr_alloc(sizeof(int) * (nrings + 1));
	E.cap = 4 * npts + 4 * nrings + 16;	/* splits add two nodes each */
	E.n = sr_alloc(sizeof(enode) * E.cap);
	if (!xy || !holes || !E.n)
	{
		sr_free(xy);
		sr_free(holes);
		sr_free(E.n);
		return -1;
	}
	for (int k = 0; k < npts; k++)
	{
		xy[2 * k] = xyz[3 * (base + k) + ax] - xyz[3 * base + ax];
		xy[2 * k + 1] = xyz[3 * (base + k) + ay] - xyz[3 * base + ay];
	}
	E.nn = 0;
	E.tri = tri;
	E.ntri = 0;
	E.inv_size = 0;
	E.steps = &steps;
	E.work = NULL;
	E.nwork = E.capwork = 0;
	if (npts > 80)
	{
		double		maxx,
					maxy;

		/* the exterior ring's box (holes are inside it) */
		E.minx = maxx = xy[0];
		E.miny = maxy = xy[1];
		for (int k = 1; k < ring_start[1] - base; k++)
		{
			E.minx = fmin(E.minx, xy[2 * k]);
			E.miny = fmin(E.miny, xy[2 * k + 1]);
			maxx = fmax(maxx, xy[2 * k]);
			maxy = fmax(maxy, xy[2 * k + 1]);
		}
		E.inv_size = fmax(maxx - E.minx, maxy - E.miny);
		E.inv_size = E.inv_size > 0 ? 32767 / E.inv_size : 0;
	}
	outer = linked_list(&E, xy, 0, ring_start[1] - base, true);
	if (outer >= 0 && E.n[outer].next != E.n[outer].prev)
	{
		for (int r = 1; r < nrings; r++)
		{
			int			l = linked_list(&E, xy, ring_start[r] - base, ring_start[r + 1] - base, false);

			if (l < 0)
				continue;
			if (l == E.n[l].next)
				E.n[l].steiner = true;
			holes[nholes++] = leftmost(&E, l);
		}
		sort_holes(holes, nholes, &E);
		for (int h = 0; h < nholes; h++)
		{
			int			bridge = find_hole_bridge(&E, holes[h], outer);

			if (bridge >= 0)
			{
				int			rev = split_polygon(&E, bridge, holes[h]);

				filter_points(&E, rev, E.n[rev].next);
				outer = filter_points(&E, bridge, E.n[bridge].next);
			}
		}
		if (!earcut_linked(&E, outer))
		{
			sr_free(xy);
			sr_free(holes);
			sr_free(E.n);
			sr_free(E.work);
			return -1;
		}
	}
	/*
	 * Triangles that cover more than the polygon: its rings are not a
	 * simple polygon with holes inside (a hole outside its exterior ring or
	 * across it, rings that cross themselves), for which ear clipping draws
	 * triangles where there is no polygon (a 20 m square with a 10 m hole
	 * beside it drew 550 m2).  In the plane of projection the triangles of
	 * a valid polygon add up to its exterior's area minus its holes', to
	 * rounding; such a polygon is not drawn.
	 */
	if (E.ntri > 0)
	{
		double		want = fabs(signed_area(xy, 0, ring_start[1] - base)),
					got = 0,
					scale = 0;

		for (int r = 1; r < nrings; r++)
			want -= fabs(signed_area(xy, ring_start[r] - base, ring_start[r + 1] - base));
		for (int t = 0; t < E.ntri; t++)
		{
			const double *a = xy + 2 * tri[3 * t],
					   *b = xy + 2 * tri[3 * t + 1],
					   *c = xy + 2 * tri[3 * t + 2];

			got += fabs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]));
		}
		for (int k = 0; k < npts; k++)
			scale = fmax(scale, fmax(fabs(xy[2 * k]), fabs(xy[2 * k + 1])));
		/* signed_area is twice the area, as is each term of got; rounding:
		 * a few ulps of the coordinates' squares per triangle */
		if (got > want + 1e-9 * want + 1e-12 * scale * scale * E.ntri)
			E.ntri = 0;
	}
	/* point indices relative to ring_start[0]; wind around the normal */
	for (int t = 0; t < E.ntri; t++)
	{
		const double *a = xyz + 3 * (base + tri[3 * t]),
				   *b = xyz + 3 * (base + tri[3 * t + 1]),
				   *c = xyz + 3 * (base + tri[3 * t + 2]);
		double		u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]},
					v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
		double		d = normal[0] * (u[1] * v[2] - u[2] * v[1]) +
			normal[1] * (u[2] * v[0] - u[0] * v[2]) +
			normal[2] * (u[0] * v[1] - u[1] * v[0]);

		if (d < 0)
		{
			uint32_t	s = tri[3 * t + 1];

			tri[3 * t + 1] = tri[3 * t + 2];
			tri[3 * t + 2] = s;
		}
	}
	sr_free(xy);
	sr_free(holes);
	sr_free(E.n);
	sr_free(E.work);
	return E.ntri;
}
