/*
 * common.c — error reports, memory and interrupt handlers of the core.
 */
#include "sr_common.h"

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

static sr_alloc_fn h_alloc = default_alloc;
static sr_realloc_fn h_realloc = default_realloc;
static sr_free_fn h_free = default_free;
static sr_interrupt_fn h_interrupt = default_interrupt;

void
sr_set_handlers(sr_alloc_fn alloc, sr_realloc_fn realloc_fn,
				sr_free_fn free_fn, sr_interrupt_fn interrupt)
{
	h_alloc = alloc ? alloc : default_alloc;
	h_realloc = realloc_fn ? realloc_fn : default_realloc;
	h_free = free_fn ? free_fn : default_free;
	h_interrupt = interrupt ? interrupt : default_interrupt;
}

void *
sr_alloc(size_t size)
{
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
	return h_realloc(ptr, size ? size : 1);
}

void
sr_free(void *ptr)
{
	if (ptr)
		h_free(ptr);
}

void
sr_check_interrupts(void)
{
	h_interrupt();
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
