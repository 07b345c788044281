// SPDX-License-Identifier: GPL-2.0-only
/* slip.c - the lateness of the harness's own timers during a variant. */
#include "run/slip.h"

#include <string.h>
#include <time.h>

#define SLIP_PERIOD_NS 10000000L /* 10 ms */

static void *probe(void *arg)
{
	struct slip *s = arg;
	struct timespec next, now;

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
		if (late > atomic_load(&s->max_us))
			atomic_store(&s->max_us, late);
		s->wakeups++;
		/* a long stall: the next deadline from now, not a burst of late ones */
		if (late > SLIP_PERIOD_NS / 1000L)
			next = now;
	}
	return NULL;
}

bool slip_start(struct slip *s)
{
	memset(s, 0, sizeof(*s));
	atomic_init(&s->stop, false);
	atomic_init(&s->max_us, 0);
	s->running = pthread_create(&s->thread, NULL, probe, s) == 0;
	return s->running;
}

double slip_stop(struct slip *s)
{
	if (!s->running)
		return 0;
	atomic_store(&s->stop, true);
	/* Now, not at its next deadline (up to 10 ms on every variant): the
	 * thread is cancelled in its sleep, its only cancellation point, where
	 * it holds nothing. */
	pthread_cancel(s->thread);
	pthread_join(s->thread, NULL);
	s->running = false;
	return (double)atomic_load(&s->max_us) / 1000.0;
}
