/*
 * common.c — error reports, memory and interrupt handlers of the core.
 */
#include "sr_common.h"
#include "sr_parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
default_alloc(size_t size)
{
	return malloc(size);
}

static void *
default_realloc(void *ptr, size_t size)
{
	return realloc(ptr, size);
}

static void
default_free(void *ptr)
{
	free(ptr);
}

static void
default_interrupt(void)
{
}

/* The default report of a refused call (sr_set_misuse_handler): a line on
 * stderr, then abort, so that the unit tests (under malloc) catch core code
 * that allocates on a helper thread at once. */
static void
default_misuse(const char *what)
{
	fprintf(stderr, "smartregion core: %s called on a helper thread of sr_parallel_run "
			"(the memory handlers run on the calling thread only)\n", what);
	fflush(stderr);
	abort();
}

static sr_alloc_fn h_alloc = default_alloc;
static sr_realloc_fn h_realloc = default_realloc;
static sr_free_fn h_free = default_free;
static sr_interrupt_fn h_interrupt = default_interrupt;
static sr_misuse_fn h_misuse = default_misuse;

void
sr_set_handlers(sr_alloc_fn alloc, sr_realloc_fn realloc_fn,
				sr_free_fn free_fn, sr_interrupt_fn interrupt)
{
	h_alloc = alloc ? alloc : default_alloc;
	h_realloc = realloc_fn ? realloc_fn : default_realloc;
	h_free = free_fn ? free_fn : default_free;
	h_interrupt = interrupt ? interrupt : default_interrupt;
}

void
sr_set_misuse_handler(sr_misuse_fn misuse)
{
	h_misuse = misuse ? misuse : default_misuse;
}

/* Whether a memory call must be refused here: on a helper thread of
 * sr_parallel_run the installed handlers never run (the server's are palloc,
 * repalloc and pfree, which touch the backend's memory contexts without a
 * lock and raise on failure, a longjmp only its own thread may take).  The
 * misuse handler reports it; if it returns, the call is refused. */
static bool
refused_on_helper(const char *what)
{
	if (!sr_parallel_on_helper())
		return false;
	h_misuse(what);
	return true;
}

void *
sr_alloc(size_t size)
{
	if (refused_on_helper("sr_alloc"))
		return NULL;			/* the caller's out-of-memory path */
	/* palloc rejects 0 bytes requests in no case, malloc may return NULL */
	return h_alloc(size ? size : 1);
}

void *
sr_alloc0(size_t size)
{
	void	   *p = sr_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *
sr_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return sr_alloc(size);
	if (refused_on_helper("sr_realloc"))
		return NULL;			/* ptr is still the caller's, as after a failed realloc */
	return h_realloc(ptr, size ? size : 1);
}

void
sr_free(void *ptr)
{
	/* (refused on a helper: the block stays in its memory context, which
	 * frees it with the rest) */
	if (ptr && !refused_on_helper("sr_free"))
		h_free(ptr);
}

void
sr_check_interrupts(void)
{
	/* never on a helper thread: the server's check may raise (a longjmp out of
	 * the backend's own stack), which only its own thread may do; helpers
	 * stop through sr_parallel_checkpoint, and the calling thread acts on the
	 * cancel once they are joined */
	if (sr_parallel_on_helper())
		return;
	h_interrupt();
}

static sr_pending_fn h_pending = NULL;

void
sr_set_pending_handler(sr_pending_fn pending)
{
	h_pending = pending;
}

bool
sr_interrupt_pending(void)
{
	return h_pending ? h_pending() : false;
}

/* Merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi);
 * *moved counts elements between interrupt checks. */
static void
sort_merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
		   int (*cmp) (const void *, const void *), size_t *moved)
{
	size_t		i = lo,
				j = mid,
				k = lo;

	while (k < hi)
	{
		/* take from the left run on ties: the merge is stable */
		if (j >= hi || (i < mid && cmp(src + i * size, src + j * size) <= 0))
			memcpy(dst + k * size, src + i++ * size, size);
		else
			memcpy(dst + k * size, src + j++ * size, size);
		k++;
		if (++*moved >= SR_SORT_CHECK_EVERY)
		{
			*moved = 0;
			sr_check_interrupts();
		}
	}
}

int
sr_cmp_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

sr_status
sr_ids_duplicate(const int64_t *ids, size_t n, int64_t *dup, size_t *count, sr_err *err)
{
	int64_t    *s;
	sr_status	st;

	*count = 0;
	if (n < 2)
		return SR_OK;
	s = sr_alloc(sizeof(int64_t) * n);
	if (!s)
		return sr_error(err, SR_ENOMEM, "out of memory");
	memcpy(s, ids, sizeof(int64_t) * n);
	if ((st = sr_sort(s, n, sizeof(int64_t), sr_cmp_int64, err)) == SR_OK)
		for (size_t i = 1; i < n; i++)
			if (s[i] == s[i - 1])
			{
				size_t		k = i + 1;

				while (k < n && s[k] == s[i])
					k++;
				*dup = s[i];
				*count = k - i + 1;
				break;
			}
	sr_free(s);
	return st;
}

void
sr_fmt_float8(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "Infinity" : "-Infinity");
	else
		for (int p = 15; p <= 17; p++)
		{
			snprintf(buf, len, "%.*g", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
}

void
sr_prefault(void *p, size_t size)
{
	const size_t chunk = (size_t) 1 << 20;

	for (size_t off = 0; off < size; off += chunk)
	{
		memset((char *) p + off, 0, size - off < chunk ? size - off : chunk);
		sr_check_interrupts();
	}
}

void
sr_select_nth(int *a, int n, int m, const double *key, size_t stride)
{
	int			lo = 0,
				hi = n - 1;

#define KEY(t) key[(size_t) (t) * stride]
	while (hi > lo)
	{
		/* median of three as pivot */
		int			mid = lo + (hi - lo) / 2;
		double		x = KEY(a[lo]),
					y = KEY(a[mid]),
					z = KEY(a[hi]);
		double		pv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		int			i = lo,
					j = hi;

		/* equal keys stop both scans and are swapped: many equal keys (premises
		 * at one address) still split in the middle */
		while (i <= j)
		{
			while (KEY(a[i]) < pv)
				i++;
			while (KEY(a[j]) > pv)
				j--;
			if (i <= j)
			{
				int			t = a[i];

				a[i] = a[j];
				a[j] = t;
				i++;
				j--;
			}
		}
		if (m <= j)
			hi = j;
		else if (m >= i)
			lo = i;
		else
			return;
	}
#undef KEY
}

sr_status
sr_sort(void *base, size_t n, size_t size, int (*cmp) (const void *, const void *), sr_err *err)
{
	char	   *a = base,
			   *tmp,
			   *src,
			   *dst;
	size_t		moved = 0;

	if (n <= SR_SORT_BLOCK)
	{
		if (n > 1)
			qsort(base, n, size, cmp);
		return SR_OK;
	}
	/* blocks sorted by qsort, an interrupt check after each */
	for (size_t lo = 0; lo < n; lo += SR_SORT_BLOCK)
	{
		size_t		len = n - lo < SR_SORT_BLOCK ? n - lo : SR_SORT_BLOCK;

		qsort(a + lo * size, len, size, cmp);
		sr_check_interrupts();
	}
	tmp = sr_alloc(n * size);
	if (!tmp)
		return sr_error(err, SR_ENOMEM, "could not allocate %zu bytes to sort %zu elements", n * size, n);
	/* bottom-up merges of runs of width, 2 width, ... */
	src = a;
	dst = tmp;
	for (size_t width = SR_SORT_BLOCK; width < n; width *= 2)
	{
		for (size_t lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n,
						hi = lo + 2 * width < n ? lo + 2 * width : n;

			sort_merge(src, dst, lo, mid, hi, size, cmp, &moved);
		}
		{
			char	   *t = src;

			src = dst;
			dst = t;
		}
	}
	if (src != a)
		memcpy(a, src, n * size);
	sr_free(tmp);
	return SR_OK;
}

void
sr_err_clear(sr_err *err)
{
	if (!err)
		return;
	err->status = SR_OK;
	err->msg[0] = err->detail[0] = err->hint[0] = '\0';
}

sr_status
sr_error(sr_err *err, sr_status status, const char *fmt,...)
{
	va_list		ap;

	if (!err)
		return status;
	err->status = status;
	err->detail[0] = err->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

void
sr_error_detail(sr_err *err, const char *fmt,...)
{
	va_list		ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void
sr_error_hint(sr_err *err, const char *fmt,...)
{
	va_list		ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

long
sr_days_from_civil(long y, int m, int d)
{
	long		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
sr_civil_from_days(long z, int *y, int *m, int *d)
{
	long		era;
	unsigned long doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned long) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) ((long) yoe + era * 400 + (*m <= 2));
}

int
sr_strbuf_init(sr_strbuf *b, size_t cap)
{
	b->len = 0;
	b->cap = cap ? cap : 64;
	b->oom = 0;
	b->s = sr_alloc(b->cap);
	if (b->s == NULL)
	{
		b->oom = 1;
		b->cap = 0;
		return 0;
	}
	b->s[0] = '\0';
	return 1;
}

void
sr_strbuf_printf(sr_strbuf *b, const char *fmt,...)
{
	va_list		ap;
	int			k;

	if (b->oom)
		return;
	for (;;)
	{
		size_t		room = b->cap - b->len;

		va_start(ap, fmt);
		k = vsnprintf(b->s + b->len, room, fmt, ap);
		va_end(ap);
		if (k < 0)
		{
			b->oom = 1;
			return;
		}
		if ((size_t) k < room)
		{
			b->len += (size_t) k;
			return;
		}
		{
			size_t		ncap = b->cap * 2 + (size_t) k + 1;
			char	   *ns = sr_realloc(b->s, ncap);

			if (ns == NULL)
			{
				b->oom = 1;
				return;
			}
			b->s = ns;
			b->cap = ncap;
		}
	}
}
