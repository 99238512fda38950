/*
 * module.c — library initialisation: install the server's allocator and
 * interrupt handlers into the pure core (as PostGIS does for liblwgeom).
 */
#include "sr_pg.h"

#include "miscadmin.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Core allocations live in the current memory context, so an error raised
 * while the core runs (e.g. by a cancel) frees them with the context.  Huge
 * allocations are allowed: bulk functions hold whole tables in arrays. */
static void *
sr_pg_alloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE);
}

static void *
sr_pg_realloc(void *ptr, size_t size)
{
	return repalloc_huge(ptr, size);
}

static void
sr_pg_free(void *ptr)
{
	pfree(ptr);
}

static void
sr_pg_interrupt(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
_PG_init(void)
{
	sr_set_handlers(sr_pg_alloc, sr_pg_realloc, sr_pg_free, sr_pg_interrupt);
}
