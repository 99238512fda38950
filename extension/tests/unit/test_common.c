/* Unit tests of extension/core/common.c: error reports and handlers. */
#include "sr_common.h"
#include "sr_parallel.h"
#include "sr_test.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>

static int	interrupts = 0;
static void count_interrupt(void) { interrupts++; }

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* sr_sort: comparisons counted between interrupt checks */
static long cmps = 0,
			max_cmps_between = 0;
static int
cmp_u32(const void *a, const void *b)
{
	unsigned	x = *(const unsigned *) a,
				y = *(const unsigned *) b;

	cmps++;
	return (x > y) - (x < y);
}
static void
sort_interrupt(void)
{
	if (cmps > max_cmps_between)
		max_cmps_between = cmps;
	cmps = 0;
}

/* interrupt checks made on the thread that runs main, and on any other */
static pthread_t main_thread;
static int	checks_on_main = 0,
			checks_elsewhere = 0;
static void
thread_interrupt(void)
{
	if (pthread_equal(pthread_self(), main_thread))
		__atomic_fetch_add(&checks_on_main, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&checks_elsewhere, 1, __ATOMIC_RELAXED);
}
static void
check_on_every_thread(void *arg, int t, int n)
{
	for (int i = 0; i < 100; i++)
		sr_check_interrupts();
}

/* memory handlers recording the thread they run on, and a misuse handler
 * counting the calls refused */
static int	mem_on_main = 0,
			mem_elsewhere = 0,
			misuses = 0;
static void
mem_record(void)
{
	if (pthread_equal(pthread_self(), main_thread))
		__atomic_fetch_add(&mem_on_main, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&mem_elsewhere, 1, __ATOMIC_RELAXED);
}
static void *
thread_alloc(size_t size)
{
	mem_record();
	return malloc(size);
}
static void *
thread_realloc(void *ptr, size_t size)
{
	mem_record();
	return realloc(ptr, size);
}
static void
thread_free(void *ptr)
{
	mem_record();
	free(ptr);
}
static void
count_misuse(const char *what)
{
	__atomic_fetch_add(&misuses, 1, __ATOMIC_RELAXED);
}

/* what each thread's memory calls gave: made on a thread other than main's
 * (counted here, by the thread's identity), and refused (NULL) there */
typedef struct mem_run
{
	char	   *kept[3];		/* allocated by main: helper t tries to grow its own */
	char	   *dropped[3];		/* allocated by main: helper t tries to free its own */
	int			calls_elsewhere;
	int			refused_elsewhere;
	int			strbuf_oom_elsewhere;
} mem_run;
static void
mem_on_every_thread(void *arg, int t, int n)
{
	mem_run    *R = arg;
	bool		elsewhere = !pthread_equal(pthread_self(), main_thread);

	for (int i = 0; i < 10; i++)
	{
		char	   *p = sr_alloc(32),
				   *q = sr_alloc0(16);

		if (elsewhere)
		{
			__atomic_fetch_add(&R->calls_elsewhere, 2, __ATOMIC_RELAXED);
			__atomic_fetch_add(&R->refused_elsewhere, (p == NULL) + (q == NULL), __ATOMIC_RELAXED);
		}
		sr_free(p);
		sr_free(q);
	}
	if (elsewhere && t < 3)
	{
		sr_strbuf	b;
		char	   *r = sr_realloc(R->kept[t], 1 << 16);

		__atomic_fetch_add(&R->calls_elsewhere, 2, __ATOMIC_RELAXED);
		__atomic_fetch_add(&R->refused_elsewhere, r == NULL, __ATOMIC_RELAXED);
		if (r)
			R->kept[t] = r;		/* (moved: without the guard) */
		sr_free(R->dropped[t]);
		/* the core's own users of sr_alloc take their out-of-memory path */
		__atomic_fetch_add(&R->strbuf_oom_elsewhere, !sr_strbuf_init(&b, 16) && b.oom, __ATOMIC_RELAXED);
		if (!b.oom)
			sr_free(b.s);
	}
}

static sr_status
fails_with_range(double v, sr_err *err)
{
	return sr_error(err, SR_ERANGE, "latitude %g is out of range", v);
}

int
main(void)
{
	sr_err		err;
	char	   *p;

	SR_TEST_BEGIN();
	sr_err_clear(&err);
	SR_CHECK(err.status == SR_OK && err.msg[0] == '\0', "cleared error is empty");

	SR_CHECK(fails_with_range(91, &err) == SR_ERANGE, "sr_error returns its status");
	SR_CHECK(strcmp(err.msg, "latitude 91 is out of range") == 0, "message is formatted");
	sr_error_detail(&err, "Latitude must be between -90 and 90.");
	sr_error_hint(&err, "Swap latitude and longitude?");
	SR_CHECK(strcmp(err.detail, "Latitude must be between -90 and 90.") == 0, "detail kept");
	SR_CHECK(strcmp(err.hint, "Swap latitude and longitude?") == 0, "hint kept");
	SR_CHECK(sr_error(NULL, SR_EINVAL, "x") == SR_EINVAL, "NULL err report is tolerated");

	p = sr_alloc0(64);
	SR_CHECK(p != NULL && p[0] == 0 && p[63] == 0, "sr_alloc0 zeroes");
	p = sr_realloc(p, 1 << 20);
	SR_CHECK(p != NULL, "sr_realloc grows");
	sr_free(p);
	sr_free(NULL);

	sr_check_interrupts();
	sr_set_handlers(NULL, NULL, NULL, count_interrupt);
	sr_check_interrupts();
	sr_check_interrupts();
	SR_CHECK(interrupts == 2, "installed interrupt handler is called");
	sr_set_handlers(NULL, NULL, NULL, NULL);
	sr_check_interrupts();
	SR_CHECK(interrupts == 2, "default interrupt handler restored");

	/* civil dates: day numbers from Python's datetime.date (independent) */
	SR_CHECK(sr_days_from_civil(1970, 1, 1) == 0, "1970-01-01 is day 0");
	SR_CHECK(sr_days_from_civil(2000, 1, 1) == 10957, "2000-01-01 is day 10957");
	SR_CHECK(sr_days_from_civil(2024, 2, 29) == 19782, "2024-02-29 is day 19782");
	SR_CHECK(sr_days_from_civil(1900, 3, 1) == -25508, "1900-03-01 is day -25508");
	SR_CHECK(sr_days_from_civil(1, 1, 1) == -719162, "0001-01-01 is day -719162");
	SR_CHECK(sr_days_from_civil(2100, 12, 31) == 47846, "2100-12-31 is day 47846");
	{
		int			bad = 0;

		/* round trip and consecutive days over 1600..2400 */
		for (long z = sr_days_from_civil(1600, 1, 1); z <= sr_days_from_civil(2400, 12, 31); z++)
		{
			int			y, m, d;

			sr_civil_from_days(z, &y, &m, &d);
			if (sr_days_from_civil(y, m, d) != z || m < 1 || m > 12 || d < 1 || d > 31)
				bad++;
		}
		SR_CHECK(bad == 0, "civil_from_days inverts days_from_civil over 1600-2400");
	}

	/* string buffer: growth across many appends */
	{
		sr_strbuf	b;
		int			ok = sr_strbuf_init(&b, 4);

		for (int i = 0; i < 1000; i++)
			sr_strbuf_printf(&b, "%d,", i % 10);
		SR_CHECK(ok && !b.oom && b.len == 2000 && strlen(b.s) == 2000, "strbuf grows to 2000 chars");
		SR_CHECK(strncmp(b.s, "0,1,2,", 6) == 0 && b.s[1998] == '9', "strbuf content kept across growth");
		sr_free(b.s);
	}
	/* sr_sort against qsort (duplicates included), and its interrupt checks */
	{
		size_t		sizes[] = {0, 1, 2, 1000, SR_SORT_BLOCK - 1, SR_SORT_BLOCK, SR_SORT_BLOCK + 1,
							   3 * SR_SORT_BLOCK + 17, 1000003};
		int			bad = 0;
		unsigned	seed = 12345;
		sr_err		e2;

		sr_err_clear(&e2);
		sr_set_handlers(NULL, NULL, NULL, sort_interrupt);
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
		{
			size_t		n = sizes[k];
			unsigned   *a = malloc((n + 1) * sizeof(unsigned)),
					   *b = malloc((n + 1) * sizeof(unsigned));

			for (size_t i = 0; i < n; i++)
			{
				seed = seed * 1103515245u + 12345u;
				a[i] = b[i] = (seed >> 8) % (n / 3 + 1);	/* many ties */
			}
			qsort(b, n, sizeof(unsigned), cmp_u32);
			cmps = 0;
			if (sr_sort(a, n, sizeof(unsigned), cmp_u32, &e2) != SR_OK || memcmp(a, b, n * sizeof(unsigned)) != 0)
				bad++;
			free(a);
			free(b);
		}
		sr_set_handlers(NULL, NULL, NULL, NULL);
		SR_CHECK(bad == 0, "sr_sort sorts like qsort (0 to 1,000,003 elements, many ties)");
		/* a qsort block is about 16,384 x log2(16,384) = 229,376 comparisons;
		 * a merge checks every 65,536 elements moved */
		SR_CHECK(max_cmps_between > 0 && max_cmps_between <= 300000,
				 "sr_sort checks for interrupts at most every 300,000 comparisons");
	}

	/* sr_select_nth: the m-th index by key, smaller-or-equal keys before it and
	 * greater-or-equal after, against a full sort of the keys (strided keys,
	 * many ties, every m of small arrays and the median of large ones) */
	{
		int			sizes[] = {1, 2, 3, 9, 17, 100, 1001, 65537};
		int			bad = 0,
					runs = 0;
		unsigned	seed = 777;

		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
			for (int ties = 0; ties < 3; ties++)
			{
				int			n = sizes[k];
				double	   *key = malloc(3 * (size_t) n * sizeof(double)),
						   *sorted = malloc((size_t) n * sizeof(double));
				int		   *a = malloc((size_t) n * sizeof(int));

				for (int i = 0; i < n; i++)
				{
					seed = seed * 1103515245u + 12345u;
					/* ties 0: distinct-ish; 1: a few values; 2: all equal */
					key[3 * i + 1] = ties == 0 ? (double) (seed >> 4) : ties == 1 ? (double) ((seed >> 8) % 4) : 5.0;
					key[3 * i] = key[3 * i + 2] = -1;	/* the other coordinates, not read */
					sorted[i] = key[3 * i + 1];
				}
				qsort(sorted, n, sizeof(double), cmp_double);
				for (int m = 0; m < n; m += (n > 100 ? n / 2 : 1))
				{
					for (int i = 0; i < n; i++)
						a[i] = n - 1 - i;
					sr_select_nth(a, n, m, key + 1, 3);
					runs++;
					if (key[3 * a[m] + 1] != sorted[m])
						bad++;
					for (int i = 0; i < n; i++)
						if ((i < m && key[3 * a[i] + 1] > sorted[m]) || (i > m && key[3 * a[i] + 1] < sorted[m]))
						{
							bad++;
							break;
						}
				}
				/* a permutation still */
				{
					char	   *seen = calloc((size_t) n, 1);

					for (int i = 0; i < n; i++)
						seen[a[i]]++;
					for (int i = 0; i < n; i++)
						if (seen[i] != 1)
						{
							bad++;
							break;
						}
					free(seen);
				}
				free(key);
				free(sorted);
				free(a);
			}
		SR_CHECK(bad == 0 && runs > 400, "sr_select_nth puts the m-th key in place, smaller before and larger after (1 to 65,537 strided keys, ties, all equal)");
	}

	/* an interrupt check on a helper thread does nothing: the server's check may
	 * raise, which only the backend's own thread may do */
	main_thread = pthread_self();
	sr_set_handlers(NULL, NULL, NULL, thread_interrupt);
	{
		int			used = sr_parallel_run(2, check_on_every_thread, NULL);

		sr_set_handlers(NULL, NULL, NULL, NULL);
		SR_CHECK(checks_elsewhere == 0 && checks_on_main == 100 && used >= 1,
				 "sr_check_interrupts reaches the handler on the calling thread only");
		SR_CHECK(!sr_parallel_on_helper(), "the calling thread is not a helper");
	}

	/* memory on a helper thread: the installed handlers (the server's palloc)
	 * never run there; the call is reported and refused */
	{
		mem_run		R = {{0}};
		char	   *kept[3];
		int			used;

		sr_set_handlers(thread_alloc, thread_realloc, thread_free, NULL);
		sr_set_misuse_handler(count_misuse);
		for (int t = 1; t < 3; t++)
		{
			kept[t] = R.kept[t] = sr_alloc(8);
			strcpy(R.kept[t], "kept");
			R.dropped[t] = sr_alloc(8);
		}
		mem_on_main = 0;
		used = sr_parallel_run(3, mem_on_every_thread, &R);
		SR_CHECK(used == 3 && R.calls_elsewhere == 2 * (20 + 2),
				 "two helper threads made their memory calls (22 each)");
		SR_CHECK(mem_elsewhere == 0, "the memory handlers never run on a helper thread");
		/* main: 10 x (2 allocations + 2 frees) */
		SR_CHECK(mem_on_main == 40, "they run for every call of the calling thread");
		SR_CHECK(R.refused_elsewhere == R.calls_elsewhere - 2 && misuses == R.calls_elsewhere + 2,
				 "every allocation of a helper is refused (NULL) and reported, its free too (and sr_strbuf_init's)");
		SR_CHECK(R.strbuf_oom_elsewhere == 2, "sr_strbuf_init on a helper takes its out-of-memory path");
		SR_CHECK(R.kept[1] == kept[1] && R.kept[2] == kept[2] &&
				 strcmp(R.kept[1], "kept") == 0 && strcmp(R.kept[2], "kept") == 0,
				 "a block of the calling thread that a helper tried to grow is left where it was");
		for (int t = 1; t < 3; t++)
		{
			sr_free(R.kept[t]);
			if (mem_elsewhere == 0)
				sr_free(R.dropped[t]);	/* (not freed by the helper) */
		}
		sr_set_misuse_handler(NULL);
		sr_set_handlers(NULL, NULL, NULL, NULL);
	}
	return SR_TEST_END();
}
