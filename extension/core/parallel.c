/*
 * parallel.c — the core's one fork/join (sr_parallel.h).
 */
#include "sr_parallel.h"
#include "sr_common.h"

#include <pthread.h>
#include <signal.h>

typedef struct job
{
	sr_parallel_fn fn;
	void	   *arg;
	int			t,
				n;
} job;

/* set on the helper threads sr_parallel_run starts (never on the caller) */
static __thread int helper_thread;

bool
sr_parallel_on_helper(void)
{
	return helper_thread != 0;
}

static void *
job_main(void *p)
{
	job		   *j = p;

	helper_thread = 1;

	j->fn(j->arg, j->t, j->n);
	return NULL;
}

int
sr_parallel_threads(int requested, long ntasks)
{
	long		n = requested;

	if (n > ntasks)
		n = ntasks;
	if (n > SR_MAX_THREADS)
		n = SR_MAX_THREADS;
	return n < 1 ? 1 : (int) n;
}

int
sr_parallel_run(int nthreads, sr_parallel_fn fn, void *arg)
{
	pthread_t	th[SR_MAX_THREADS];
	job			jobs[SR_MAX_THREADS];
	int			started[SR_MAX_THREADS];
	int			n = sr_parallel_threads(nthreads, SR_MAX_THREADS);

	for (int t = 0; t < n; t++)
	{
		jobs[t].fn = fn;
		jobs[t].arg = arg;
		jobs[t].t = t;
		jobs[t].n = n;
		started[t] = 0;
	}
	if (n > 1)
	{
		sigset_t	all,
					old;

		/* helpers inherit this mask: every signal blocked */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		for (int t = 1; t < n; t++)
			started[t] = pthread_create(&th[t], NULL, job_main, &jobs[t]) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	fn(arg, 0, n);
	for (int t = 1; t < n; t++)
	{
		if (started[t])
			pthread_join(th[t], NULL);
		else
			fn(arg, t, n);		/* could not start: its share runs here */
	}
	return n;
}

/* sr_parallel_tasks' run: tasks handed out in turn */
typedef struct task_run
{
	sr_task_fn	fn;
	void	   *arg;
	int			n;
	int			next;			/* the next task (atomic) */
	int			watch;			/* thread 0 looks for a pending interrupt */
	int			stop;			/* ... and saw one (atomic) */
} task_run;

/* the run each thread is in (none outside sr_parallel_tasks), and its
 * thread number, for sr_parallel_checkpoint */
static __thread task_run *cur_run;
static __thread int cur_t;

/* The calling thread (t 0) of a watched run looks for a pending interrupt
 * (once: not after the run has stopped) and stops the run when it sees
 * one; whether the run is stopping. */
static bool
run_look(task_run *R, int t)
{
	if (t == 0 && R->watch && !__atomic_load_n(&R->stop, __ATOMIC_RELAXED) &&
		sr_interrupt_pending())
		__atomic_store_n(&R->stop, 1, __ATOMIC_RELAXED);
	return __atomic_load_n(&R->stop, __ATOMIC_RELAXED);
}

static void
task_worker(void *arg, int t, int nt)
{
	task_run   *R = arg;
	int			k;

	cur_run = R;
	cur_t = t;
	while (!__atomic_load_n(&R->stop, __ATOMIC_RELAXED) &&
		   (k = __atomic_fetch_add(&R->next, 1, __ATOMIC_RELAXED)) < R->n)
	{
		R->fn(R->arg, t, k);
		run_look(R, t);
	}
	cur_run = NULL;
}

bool
sr_parallel_checkpoint(void)
{
	task_run   *R = cur_run;

	if (!R)
	{
		/* not in a task: on the calling thread (no helper alive), a
		 * cancel raises here */
		if (!helper_thread)
			sr_check_interrupts();
		return false;
	}
	return run_look(R, cur_t);
}

int
sr_parallel_tasks(int nthreads, int n, sr_task_fn fn, void *arg)
{
	task_run	R = {fn, arg, n, 0, 1, 0};
	int			used;

	nthreads = sr_parallel_threads(nthreads, n);
	for (;;)
	{
		used = sr_parallel_run(nthreads, task_worker, &R);
		if (R.next >= n)
			break;
		/* stopped for a pending interrupt (tasks [0, R.next) done): act on
		 * it now that the threads are joined (a cancel raises); if that
		 * returns, the rest without stopping again */
		sr_check_interrupts();
		R.watch = 0;
		R.stop = 0;
	}
	return used;
}
