/*
 * sr_test.h — a tiny TAP-producing test harness for the core's unit tests.
 * Each test program prints "ok N - desc" / "not ok N - desc" lines; the
 * runner (scripts/unit.sh) counts them.
 */
#ifndef SR_TEST_H
#define SR_TEST_H

#include <math.h>
#include <stdio.h>
#include <time.h>

static int	sr_test_n = 0;
static int	sr_test_failed = 0;

#define SR_TEST_BEGIN() do { sr_test_n = 0; sr_test_failed = 0; } while (0)

#define SR_CHECK(cond, desc) do { \
	sr_test_n++; \
	if (cond) printf("ok %d - %s\n", sr_test_n, (desc)); \
	else { sr_test_failed++; \
		printf("not ok %d - %s\n#   at %s:%d: %s\n", sr_test_n, (desc), __FILE__, __LINE__, #cond); } \
} while (0)

/* |got - want| <= tol (absolute). */
#define SR_CHECK_CLOSE(got, want, tol, desc) do { \
	double sr_g_ = (got), sr_w_ = (want); \
	sr_test_n++; \
	if (fabs(sr_g_ - sr_w_) <= (tol)) printf("ok %d - %s\n", sr_test_n, (desc)); \
	else { sr_test_failed++; \
		printf("not ok %d - %s\n#   at %s:%d: got %.12g, want %.12g (tol %g)\n", \
			   sr_test_n, (desc), __FILE__, __LINE__, sr_g_, sr_w_, (double) (tol)); } \
} while (0)

#define SR_TEST_END() (printf("1..%d\n", sr_test_n), sr_test_failed ? 1 : 0)

/* Cancel tests: the longest stretch of thread CPU time between two interrupt
 * checks of the core (sr_gap_interrupt as the interrupt handler).
 *
 * Thread CPU time still grows with the machine's load (caches and memory
 * bandwidth shared with other processes, page faults slowed, a hypervisor's
 * steal): one stretch of 25-35 ms read 102.9 ms at a load of 6.  What a test
 * means is the work between two checks, and that work is the same on every
 * run of the same call on the same data (the core is deterministic, and the
 * checks come in the same order): so each stretch is taken at its least over
 * repeated runs, the k-th stretch of one run against the k-th of the others.
 * A stretch that a loaded moment lengthened is short again in another run;
 * a stretch of real work without a check is long in every run.  The first
 * run decides whether more are needed (SR_GAP_RUNS at most, only while a
 * stretch is at or over the limit), so a quiet machine pays for one run.
 *
 *     sr_gap_begin();
 *     do { sr_gap_start(); ...call...; sr_gap_interrupt(); }
 *     while (sr_gap_again(50));
 *     SR_CHECK(sr_gap_max_ms() < 50, ...);
 *
 * sr_gap_max_ms reads the runs ended by sr_gap_again.  If the runs do not
 * see the same number of checks (a parallel section
 * whose calling thread checks as it waits), the stretches cannot be paired:
 * the least of the runs' longest stretches is taken instead. */
#define SR_GAP_RUNS 3
#define SR_GAP_MAX 65536		/* stretches kept a run; later ones fold into the last */

typedef struct sr_gap_meter
{
	double		last;			/* thread CPU ms at the last check */
	int			run;			/* runs started since sr_gap_begin */
	int			n;				/* stretches of the current run */
	int			n_first;		/* of the first run */
	int			paired;			/* every run had n_first stretches */
	double		run_max;		/* the current run's longest stretch */
	double		min_of_max;		/* the least of the runs' longest */
	double		least[SR_GAP_MAX];	/* k-th stretch, least over the runs */
	double		cur[SR_GAP_MAX];	/* k-th stretch of the current run */
} sr_gap_meter;

static sr_gap_meter *
sr_gap_state(void)
{
	static sr_gap_meter m;

	return &m;
}

static double
sr_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* forget earlier runs: the next sr_gap_start is a first run */
static void
sr_gap_begin(void)
{
	sr_gap_meter *m = sr_gap_state();

	m->run = 0;
	m->paired = 1;
	m->min_of_max = INFINITY;
}

static void
sr_gap_interrupt(void)
{
	sr_gap_meter *m = sr_gap_state();
	double		now = sr_cpu_ms(),
				d = now - m->last;

	if (m->n < SR_GAP_MAX)
		m->cur[m->n++] = d;
	else
		m->cur[SR_GAP_MAX - 1] += d;
	if (m->cur[m->n - 1] > m->run_max)
		m->run_max = m->cur[m->n - 1];
	m->last = now;
}

/* starts a run; returns its start in ms of thread CPU time */
static double
sr_gap_start(void)
{
	sr_gap_meter *m = sr_gap_state();

	m->run++;
	m->n = 0;
	m->run_max = 0;
	return m->last = sr_cpu_ms();
}

/* the longest stretch between two checks, each at its least over the runs
 * ended so far */
static double
sr_gap_max_ms(void)
{
	sr_gap_meter *m = sr_gap_state();
	double		longest = 0;

	if (!m->paired)
		return m->min_of_max;
	for (int k = 0; k < m->n_first; k++)
		if (m->least[k] > longest)
			longest = m->least[k];
	return longest;
}

/* ends a run (after its last sr_gap_interrupt); whether to run again: while
 * the longest stretch so far is at or over limit_ms and runs are left */
static int
sr_gap_again(double limit_ms)
{
	sr_gap_meter *m = sr_gap_state();

	if (m->run_max < m->min_of_max)
		m->min_of_max = m->run_max;
	if (m->run == 1)
	{
		m->n_first = m->n;
		for (int k = 0; k < m->n; k++)
			m->least[k] = m->cur[k];
	}
	else if (m->n != m->n_first)
		m->paired = 0;
	else
		for (int k = 0; k < m->n; k++)
			if (m->cur[k] < m->least[k])
				m->least[k] = m->cur[k];
	return sr_gap_max_ms() >= limit_ms && m->run < SR_GAP_RUNS;
}

#endif
