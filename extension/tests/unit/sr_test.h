/*
 * sr_test.h — a tiny TAP-producing test harness for the core's unit tests.
 * Each test program prints "ok N - desc" / "not ok N - desc" lines; the
 * runner (scripts/unit.sh) counts them.
 */
#ifndef SR_TEST_H
#define SR_TEST_H

#include <math.h>
#include <stdio.h>

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

#endif
