/*
 * sr_parallel.h — the core's one fork/join (docs/architecture.md, "Threads").
 *
 * A PostgreSQL backend is not thread-safe, so the rules are strict: helper
 * threads start with every signal blocked (the server's handlers keep
 * running on the calling thread), and the work function never allocates
 * with sr_alloc, raises, or checks for interrupts.  The caller allocates
 * everything beforehand and checks for interrupts between runs, when no
 * helper thread is alive.  Thread 0 (the calling thread) may look at
 * sr_interrupt_pending() (sr_common.h), which never raises, to make the
 * run stop handing out work early; the caller then checks for interrupts
 * and, if that returns, finishes the work without stopping again.  How many threads to use is decided once, by the
 * glue (the smartregion.max_threads setting); the core never asks the
 * operating system.
 */
#ifndef SR_PARALLEL_H
#define SR_PARALLEL_H

/* Upper bound on threads in one run. */
#define SR_MAX_THREADS 64

/* Work of thread t of n (t = 0 is the calling thread). */
typedef void (*sr_parallel_fn) (void *arg, int t, int n);

/* Run fn on nthreads threads (clamped to [1, SR_MAX_THREADS]) and wait
 * for all of them.  A helper thread that cannot be started has its share
 * run on the calling thread afterwards, so fn(arg, t, n) is called exactly
 * once for every t < n either way.  Returns the number of threads used. */
int			sr_parallel_run(int nthreads, sr_parallel_fn fn, void *arg);

/* Threads worth using for ntasks independent tasks: min(requested,
 * ntasks, SR_MAX_THREADS), at least 1. */
int			sr_parallel_threads(int requested, long ntasks);

#endif							/* SR_PARALLEL_H */
