/*
 * module.c — library initialisation: install the server's allocator and
 * interrupt handlers into the pure core (as PostGIS does for liblwgeom).
 */
#include "sr_pg.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "miscadmin.h"
#include "optimizer/cost.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "sr_parallel.h"

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

/* Core code allocated or freed on a helper thread of sr_parallel_run
 * (sr_common.h): the core refuses the call, and this runs on that helper,
 * where nothing of the server may be called (no palloc, no ereport: not
 * even elog(FATAL), which longjmps and exits from the backend's own stack).
 * One line to stderr, the server's log (write(2) is safe on any thread);
 * in assert-enabled builds an abort, as a failed Assert would; otherwise
 * the call returns refused and the core takes its out-of-memory path. */
static void
sr_pg_misuse(const char *what)
{
	static const char head[] = "smartregion: internal error: ";
	static const char tail[] = " called on a helper thread of a parallel run, refused\n";

	if (write(STDERR_FILENO, head, sizeof(head) - 1) < 0 ||
		write(STDERR_FILENO, what, strlen(what)) < 0 ||
		write(STDERR_FILENO, tail, sizeof(tail) - 1) < 0)
	{
		/* nothing more to do: the call is refused either way */
	}
#ifdef USE_ASSERT_CHECKING
	abort();
#endif
}

/* The core's non-throwing look (sr_interrupt_pending): a signal handler
 * set InterruptPending; CHECK_FOR_INTERRUPTS, on this thread once the
 * helper threads are joined, acts on it. */
static bool
sr_pg_pending(void)
{
	return InterruptPending;
}

/* smartregion.hub: the hub schema of the services' maturity plugins */
static char *hub_setting = NULL;

/* smartregion.max_threads: -1 = max_parallel_workers_per_gather + 1 */
static int	max_threads_setting = -1;

int
sr_max_threads(void)
{
	long		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int			n = max_threads_setting >= 0 ? max_threads_setting
		: max_parallel_workers_per_gather + 1;

	if (ncpu > 0 && n > ncpu)
		n = (int) ncpu;
	return sr_parallel_threads(n, SR_MAX_THREADS);
}

/* smartregion.max_dem_pixels: the largest elevation model held in memory */
static int	max_dem_pixels_setting = SR_DEM_MAX_PIXELS_DEFAULT;

int
sr_max_dem_pixels(void)
{
	return max_dem_pixels_setting;
}

/* smartregion.max_call_memory: kB a call holding its whole input may keep */
static int	max_call_memory_setting = SR_MAX_CALL_MEMORY_DEFAULT;

int
sr_max_call_memory(void)
{
	return max_call_memory_setting;
}

void
_PG_init(void)
{
	sr_set_handlers(sr_pg_alloc, sr_pg_realloc, sr_pg_free, sr_pg_interrupt);
	sr_set_pending_handler(sr_pg_pending);
	sr_set_misuse_handler(sr_pg_misuse);
	DefineCustomIntVariable("smartregion.max_threads",
							"Threads a bulk smartregion function may use inside one backend.",
							"-1 (the default) means max_parallel_workers_per_gather + 1, as many "
							"processes as a parallel query of this session could use; 0 or 1 "
							"runs on the backend's own thread only.  Never more than the "
							"online processors.",
							&max_threads_setting,
							-1, -1, SR_MAX_THREADS,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("smartregion.max_dem_pixels",
							"Largest elevation model, in pixels, that horizon_from_dem and "
							"solar_cadastre's terrain_sql hold in memory.",
							"The heights are held at 4 bytes a pixel: the default, 67108864, "
							"is 256 MB.  A model of more pixels is refused (54000).",
							&max_dem_pixels_setting,
							SR_DEM_MAX_PIXELS_DEFAULT, 1, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("smartregion.max_call_memory",
							"Memory one call of a function holding its whole input (solar_cadastre, "
							"solar_cadastre_cells, horizon_at, solar_impact, zone_indicators, "
							"match_candidates, match_assign, city_gltf, city_tileset, "
							"tierslieux_coverage) may hold for it.",
							"These functions keep every row of their queries until they end; "
							"each row read is estimated (a row, and a point of its geometry if any) "
							"and the row that would pass this setting is refused (54000). "
							"-1 means no limit.",
							&max_call_memory_setting,
							SR_MAX_CALL_MEMORY_DEFAULT, -1, INT_MAX,
							PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomStringVariable("smartregion.hub",
							   "Schema of the hub read by the maturity plugins of the services.",
							   "The plugins tierslieux_access_indicator and thd_ftth_coverage "
							   "read their data from this hub (docs/matching.md, docs/thd.md).",
							   &hub_setting, "hub", PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("smartregion");
}
