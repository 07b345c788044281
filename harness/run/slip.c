// SPDX-License-Identifier: GPL-2.0-only
/* slip.c - the lateness of the harness's own timers during a variant. */
#include "run/slip.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLIP_PERIOD_NS 10000000L /* 10 ms */
#define SLIP_WINDOW    50        /* periods: slip_recent()'s half second */

static void *probe(void *arg)
{
	struct slip_probe *pr = arg;
	struct slip *s = pr->s;
	struct timespec next, now;
	long window_us = 0;
	unsigned periods = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&s->stop)) {
		long late;

		next.tv_nsec += SLIP_PERIOD_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
			; /* EINTR: sleep on to the same deadline */
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = (long)((now.tv_sec - next.tv_sec) * 1000000L +
		              (now.tv_nsec - next.tv_nsec) / 1000L);
		{
			long seen = atomic_load(&s->max_us);

			while (late > seen &&
			       !atomic_compare_exchange_weak(&s->max_us, &seen, late))
				;
		}
		/* a late wake-up shows at once; an early window's is forgotten
		 * when the next window ends */
		if (late > window_us)
			window_us = late;
		if (late > atomic_load(&pr->recent_us))
			atomic_store(&pr->recent_us, late);
		if (++periods == SLIP_WINDOW) {
			atomic_store(&pr->recent_us, window_us);
			window_us = 0;
			periods = 0;
		}
		/* a long stall: the next deadline from now, not a burst of late ones */
		if (late > SLIP_PERIOD_NS / 1000L)
			next = now;
	}
	return NULL;
}

/* A probe's stack: it calls clock_nanosleep and clock_gettime only. */
#define SLIP_STACK (64 * 1024)

static bool start_probe(struct slip *s, int cpu)
{
	pthread_attr_t attr;
	cpu_set_t one;
	bool ok;

	if (pthread_attr_init(&attr) != 0)
		return false;
	pthread_attr_setstacksize(&attr, SLIP_STACK);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	ok = pthread_attr_setaffinity_np(&attr, sizeof(one), &one) == 0 &&
	     pthread_create(&s->thread[s->nprobes], &attr, probe, &s->probe[s->nprobes]) == 0;
	if (!ok) {
		/* not allowed there (a cpuset, a CPU gone offline): unpinned */
		pthread_attr_destroy(&attr);
		if (pthread_attr_init(&attr) != 0)
			return false;
		pthread_attr_setstacksize(&attr, SLIP_STACK);
		ok = pthread_create(&s->thread[s->nprobes], &attr, probe, &s->probe[s->nprobes]) ==
		     0;
	}
	pthread_attr_destroy(&attr);
	if (ok)
		s->nprobes++;
	return ok;
}

bool slip_start(struct slip *s)
{
	cpu_set_t mask;
	int cpu;

	memset(s, 0, sizeof(*s));
	atomic_init(&s->stop, false);
	atomic_init(&s->max_us, 0);
	for (cpu = 0; cpu < SLIP_MAX_PROBES; cpu++) {
		s->probe[cpu].s = s;
		atomic_init(&s->probe[cpu].recent_us, 0);
	}
	if (sched_getaffinity(0, sizeof(mask), &mask) != 0) {
		start_probe(s, 0);
		return s->nprobes > 0;
	}
	for (cpu = 0; cpu < CPU_SETSIZE && s->nprobes < SLIP_MAX_PROBES; cpu++)
		if (CPU_ISSET(cpu, &mask))
			start_probe(s, cpu);
	return s->nprobes > 0;
}

double slip_stop(struct slip *s)
{
	int i;

	if (s->nprobes == 0)
		return 0;
	atomic_store(&s->stop, true);
	/* Now, not at their next deadline (up to 10 ms on every variant): each
	 * thread is cancelled in its sleep, its only cancellation point, where
	 * it holds nothing. */
	for (i = 0; i < s->nprobes; i++)
		pthread_cancel(s->thread[i]);
	for (i = 0; i < s->nprobes; i++)
		pthread_join(s->thread[i], NULL);
	s->nprobes = 0;
	return (double)atomic_load(&s->max_us) / 1000.0;
}

/* slip_monitor_recent() of the probes in @s. */
static double slip_recent(const struct slip *s)
{
	long worst = 0;

	for (int i = 0; i < s->nprobes; i++) {
		long r = atomic_load(&s->probe[i].recent_us);

		if (r > worst)
			worst = r;
	}
	return (double)worst / 1000.0;
}

bool slip_monitor_start(struct slip_monitor *m)
{
	int ready[2];
	char ok = 0;

	m->pid = -1;
	m->shared = mmap(NULL, sizeof(*m->shared), PROT_READ | PROT_WRITE,
	                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m->shared == MAP_FAILED) {
		m->shared = NULL;
		return false;
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		munmap(m->shared, sizeof(*m->shared));
		m->shared = NULL;
		return false;
	}
	fflush(NULL); /* the child must not write our buffered output again */
	m->pid = fork();
	if (m->pid == 0) {
		sigset_t all;

		close(ready[0]);
		prctl(PR_SET_NAME, "tcpconform-slip"); /* as ps and pkill show it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		ok = slip_start(m->shared);
		if (write(ready[1], &ok, 1) != 1 || !ok)
			_exit(1);
		close(ready[1]);
		/* nothing but the probes until the parent kills it */
		sigfillset(&all);
		sigdelset(&all, SIGKILL);
		for (;;)
			sigsuspend(&all);
	}
	close(ready[1]);
	if (m->pid > 0 && read(ready[0], &ok, 1) == 1 && ok) {
		close(ready[0]);
		return true;
	}
	close(ready[0]);
	slip_monitor_stop(m);
	return false;
}

double slip_monitor_recent(const struct slip_monitor *m)
{
	return m->shared && m->pid > 0 ? slip_recent(m->shared) : 0;
}

double slip_monitor_stop(struct slip_monitor *m)
{
	double worst = 0;

	if (m->pid > 0) {
		kill(m->pid, SIGKILL);
		while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	m->pid = -1;
	if (m->shared) {
		worst = (double)atomic_load(&m->shared->max_us) / 1000.0;
		munmap(m->shared, sizeof(*m->shared));
		m->shared = NULL;
	}
	return worst;
}
