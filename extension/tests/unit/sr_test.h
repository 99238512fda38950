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

/* Cancel tests: the longest thread CPU time between two interrupt checks of
 * the core (sr_gap_interrupt as the interrupt handler, sr_gap_start before
 * the call, sr_gap_interrupt once after it).  Thread CPU time, so that a
 * loaded machine does not change the figure. */
static double *
sr_gap_state(void)
{
	static double s[2];			/* the last check, the longest gap (ms) */

	return s;
}

static double
sr_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
sr_gap_interrupt(void)
{
	double	   *s = sr_gap_state();
	double		now = sr_cpu_ms();

	if (now - s[0] > s[1])
		s[1] = now - s[0];
	s[0] = now;
}

/* resets the longest gap; returns the start (ms of thread CPU time) */
static double
sr_gap_start(void)
{
	double	   *s = sr_gap_state();

	s[1] = 0;
	return s[0] = sr_cpu_ms();
}

static double
sr_gap_max_ms(void)
{
	return sr_gap_state()[1];
}

#endif
