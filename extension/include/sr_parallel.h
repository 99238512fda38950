/*
 * sr_parallel.h — the core's one fork/join (docs/architecture.md, "Threads").
 *
 * A PostgreSQL backend is not thread-safe, so the rules are strict: helper
 * threads start with every signal blocked (the server's handlers keep
 * running on the calling thread), and the work function never allocates
 * with sr_alloc, raises, or checks for interrupts.  The caller allocates
 * everything beforehand and checks for interrupts between runs, when no
 * helper thread is alive; sr_parallel_tasks also stops a run early for a
 * pending cancel (sr_interrupt_pending, sr_common.h).  How many threads to
 * use is decided once, by the
 * glue (the smartregion.max_threads setting); the core never asks the
 * operating system.
 */
#ifndef SR_PARALLEL_H
#define SR_PARALLEL_H

#include <stdbool.h>

/* Upper bound on threads in one run. */
#define SR_MAX_THREADS 64

/* Work of thread t of n (t = 0 is the calling thread). */
typedef void (*sr_parallel_fn) (void *arg, int t, int n);

/* Run fn on nthreads threads (clamped to [1, SR_MAX_THREADS]) and wait
 * for all of them.  A helper thread that cannot be started has its share
 * run on the calling thread afterwards, so fn(arg, t, n) is called exactly
 * once for every t < n either way.  Returns the number of threads used. */
int			sr_parallel_run(int nthreads, sr_parallel_fn fn, void *arg);

/* Task k of thread t. */
typedef void (*sr_task_fn) (void *arg, int t, int k);

/* Run tasks 0 .. n-1 on up to nthreads threads, handed out in turn, each
 * exactly once (fn never allocates, raises or checks for interrupts, as
 * above).  The calling thread looks at sr_interrupt_pending() after each
 * of its tasks; when one is pending the threads stop taking tasks after
 * those they hold, and once they are joined the calling thread checks for
 * interrupts (a cancel raises there, within a task's time); if that
 * returns, the remaining tasks run without stopping again.  Returns the
 * number of threads used. */
int			sr_parallel_tasks(int nthreads, int n, sr_task_fn fn, void *arg);

/* A point in a long loop of core code where a cancel may stop it.  In a
 * task of sr_parallel_tasks: whether the task should stop now (on the
 * calling thread this also looks at sr_interrupt_pending(), as after each
 * task); when it says so the task returns unfinished and tells its caller,
 * which runs it again after sr_parallel_tasks returns (the task is still
 * counted as run), so that a cancel stops a run within a part of a task's
 * time; after a stop that the interrupt check let through it says false.
 * Outside a task, on the calling thread, it checks for interrupts (a
 * cancel raises there: only sr_alloc memory may be held) and says false;
 * on a helper thread of sr_parallel_run, false. */
bool		sr_parallel_checkpoint(void);

/* Whether this is a helper thread of sr_parallel_run (never the calling
 * thread): sr_check_interrupts does nothing there, and sr_alloc, sr_alloc0,
 * sr_realloc and sr_free refuse to run (sr_common.h). */
bool		sr_parallel_on_helper(void);

/* Threads worth using for ntasks independent tasks: min(requested,
 * ntasks, SR_MAX_THREADS), at least 1. */
int			sr_parallel_threads(int requested, long ntasks);

#endif							/* SR_PARALLEL_H */
