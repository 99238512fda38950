/*
 * sr_common.h — shared definitions of the smartregion pure C core.
 *
 * Nothing under extension/core includes a PostgreSQL header.  The core
 * reports failures with an sr_status code plus a message written into a
 * caller-supplied sr_err; the glue (extension/pg/errors.c) maps the status
 * to an SQLSTATE and raises the error.  Memory and interrupt checks go
 * through handlers that the server installs at load time (as liblwgeom's
 * lwgeom_set_handlers does), so the same code runs in unit tests with plain
 * malloc/free.
 */
#ifndef SR_COMMON_H
#define SR_COMMON_H

#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* Status codes of the core.  Keep in sync with sr_status_sqlstate() in
 * extension/pg/errors.c and with docs/errors.md. */
typedef enum sr_status
{
	SR_OK = 0,
	SR_EINVAL,			/* invalid parameter value            -> 22023 */
	SR_ERANGE,			/* numeric value out of range          -> 22003 */
	SR_ESYNTAX,			/* malformed text input                -> 22P02 */
	SR_EDATA,			/* inconsistent or bad data in a row   -> 22000 */
	SR_EGEOM,			/* invalid or unsupported geometry     -> 22023 (XX: see errors.md) */
	SR_ENOMEM,			/* out of memory                       -> 53200 */
	SR_ENOTFOUND,		/* unknown name (model, territory...)  -> 42704 */
	SR_EINTERNAL,		/* cannot happen                       -> XX000 */
	SR_ENULL			/* a null where a value is required    -> 22004 */
} sr_status;

#define SR_ERRMSG_LEN 512

/* Error report filled by the core.  detail and hint may stay empty. */
typedef struct sr_err
{
	sr_status	status;
	char		msg[SR_ERRMSG_LEN];
	char		detail[SR_ERRMSG_LEN];
	char		hint[SR_ERRMSG_LEN];
} sr_err;

/* Clear an error report. */
void		sr_err_clear(sr_err *err);

/* Record an error: sets status and a printf-style primary message (lower
 * case, no final period, PostgreSQL style).  Returns status so that core
 * code can write "return sr_error(err, SR_EINVAL, ...)". */
sr_status	sr_error(sr_err *err, sr_status status, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
/* Add a detail / hint sentence to the current error. */
void		sr_error_detail(sr_err *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
void		sr_error_hint(sr_err *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

/*
 * A grid's number of cells along one axis, floor(extent / cell) + 1, or -1
 * when that is not a number from 1 to max.  Computed in double: coordinates
 * of another unit or a stray point 1e300 m away make the quotient too large
 * for an int, and converting it is undefined (the allocation that followed
 * asked for 18 exabytes).  The builders refuse a -1 with a clear error.
 */
static inline int
sr_grid_cells(double extent, double cell, double max)
{
	double		n = extent / cell;

	if (!(n >= 0 && n < max))
		return -1;
	return (int) n + 1;
}

/* qsort comparator of int64_t, ascending. */
int			sr_cmp_int64(const void *a, const void *b);

/* The smallest id of ids[0..n) that appears more than once, in *dup, and
 * how many times, in *count (0 when every id is unique): a sorted copy
 * (sr_sort, so that millions answer a cancel).  SR_ENOMEM or the sort's
 * error otherwise; the caller words the duplicate's error. */
sr_status	sr_ids_duplicate(const int64_t *ids, size_t n, int64_t *dup, size_t *count,
							 sr_err *err);

/* A number as PostgreSQL prints a float8 in a message: NaN and Infinity by
 * name, otherwise the fewest of 15 to 17 significant digits that read back
 * as the same double (12000, 0.1, 8848). */
void		sr_fmt_float8(char *buf, size_t len, double v);

/*
 * Touch size bytes at p in order, a megabyte at a time, checking for
 * interrupts after each: a fresh buffer that a loop then fills out of order
 * (a transposition) takes its page faults there, a few microseconds each on a
 * virtual machine, in stretches no element count foresees (2,000 rows' first
 * pages within a few thousand elements: 45 ms without a check).  The bytes
 * are zeroed.
 */
void		sr_prefault(void *p, size_t size);

/* Handlers installed by the server (palloc, repalloc, pfree and
 * CHECK_FOR_INTERRUPTS); defaults are malloc/realloc/free and a no-op. */
typedef void *(*sr_alloc_fn) (size_t size);
typedef void *(*sr_realloc_fn) (void *ptr, size_t size);
typedef void (*sr_free_fn) (void *ptr);
typedef void (*sr_interrupt_fn) (void);

void		sr_set_handlers(sr_alloc_fn alloc, sr_realloc_fn realloc_fn,
							sr_free_fn free_fn, sr_interrupt_fn interrupt);

/* Allocation through the installed handlers.  With the server's handlers the
 * memory lives in the current memory context and is freed with it, so an
 * error raised by an interrupt check cannot leak.  sr_alloc never returns
 * NULL under the server (palloc raises) but on a helper thread (below);
 * under malloc, callers check.
 *
 * Never on a helper thread of sr_parallel_run (sr_parallel.h): there these
 * four do not call the installed handlers, whatever they are; they call the
 * misuse handler, and if it returns, sr_alloc, sr_alloc0 and sr_realloc
 * return NULL (the caller's out-of-memory path; sr_realloc leaves the block
 * as it was) and sr_free does nothing (the block is freed with its memory
 * context). */
void	   *sr_alloc(size_t size);
void	   *sr_alloc0(size_t size);
void	   *sr_realloc(void *ptr, size_t size);
void		sr_free(void *ptr);

/* Called with the name of the refused call ("sr_alloc", ...) when core code
 * allocates or frees on a helper thread.  It runs on that helper: it must not
 * allocate, raise or take the server's locks.  The default writes a line on
 * stderr and aborts (the unit tests); the server's writes the line to its
 * log and aborts only in assert-enabled builds, else returns (the call is
 * refused).  NULL restores the default. */
typedef void (*sr_misuse_fn) (const char *what);
void		sr_set_misuse_handler(sr_misuse_fn misuse);

/* Call in long loops: lets statement_timeout and cancel work.  Under the
 * server this may not return (it raises the cancel error); the core must
 * only hold sr_alloc memory when it calls it. */
void		sr_check_interrupts(void);

/* Whether an interrupt (a cancel, a timeout) is pending, without acting on
 * it: never raises, so the calling thread of a parallel run may look while
 * helper threads are alive, stop handing out work, and check for
 * interrupts once they are joined (sr_parallel.h).  Installed by the
 * server (InterruptPending); the default says never.  A pending interrupt
 * that sr_check_interrupts then does not act on (held off, or not a
 * cancel) must not stop the work again: a caller stops early at most once
 * per run. */
typedef bool (*sr_pending_fn) (void);
void		sr_set_pending_handler(sr_pending_fn pending);
bool		sr_interrupt_pending(void);

/* Sort n elements of the given size like qsort, but check for interrupts
 * as it goes (qsort runs in blocks of SR_SORT_BLOCK elements, then bottom-up
 * merges check every SR_SORT_CHECK_EVERY elements moved), so that a cancel
 * lands within milliseconds even on millions of elements.  For a total order
 * the result is the same as qsort's.  Returns SR_ENOMEM when the scratch
 * buffer cannot be allocated (only under malloc). */
#define SR_SORT_BLOCK 16384
#define SR_SORT_CHECK_EVERY 65536
sr_status	sr_sort(void *base, size_t n, size_t size,
					int (*cmp) (const void *, const void *), sr_err *err);

/* Quickselect (Hoare partition, median-of-three pivot): reorders the
 * indexes a[0..n) so that a[m] is the one whose key would be m-th if they
 * were sorted by key, with keys <= its key before it and >= after.  The key
 * of index i is key[i * stride] (stride 3 for x, y, z triples).  Linear on
 * average, against n log n for a sort: the k-d trees of the core split at
 * the median with it.  No interrupt check: the caller counts n as work. */
void		sr_select_nth(int *a, int n, int m, const double *key, size_t stride);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's days_from_civil / civil_from_days algorithms). */
long		sr_days_from_civil(long y, int m, int d);
void		sr_civil_from_days(long z, int *y, int *m, int *d);

/* A growable string buffer on sr_alloc.  After a failed allocation (only
 * possible under malloc) oom is set and later appends are ignored. */
typedef struct sr_strbuf
{
	char	   *s;
	size_t		len;
	size_t		cap;
	int			oom;
} sr_strbuf;

/* Start an empty buffer of the given capacity; false when out of memory. */
int			sr_strbuf_init(sr_strbuf *b, size_t cap);
/* Append printf-style text. */
void		sr_strbuf_printf(sr_strbuf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

#define SR_PI 3.14159265358979323846
#define SR_DEG2RAD (SR_PI / 180.0)
#define SR_RAD2DEG (180.0 / SR_PI)

#endif							/* SR_COMMON_H */
