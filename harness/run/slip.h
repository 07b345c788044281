/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slip.h - how late the harness's own timers fire, measured while a
 * variant plays.
 *
 * A thread sleeps to deadlines 10 ms apart (clock_nanosleep, absolute,
 * CLOCK_MONOTONIC) and records how late it wakes.  On a quiet machine that
 * is well under a millisecond; on a loaded host, or in a guest under TCG
 * whose vCPU the host deschedules, it grows, and so does the lateness of
 * the kernel's own timers that a timing row judges.  The largest lateness
 * seen goes into observed.json ("timer_slip_ms") and summary.json, and a
 * timing check's tolerance is widened by it (model/verdict.c), said so in
 * the check's reason: the expectation still comes from its source, the
 * widening only from this measurement.
 */
#ifndef TC_SLIP_H
#define TC_SLIP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct slip {
	pthread_t thread;
	bool running;
	atomic_bool stop;
	atomic_long max_us; /* the latest wake-up so far, in microseconds */
	long wakeups;
};

/* Start measuring; false (and no thread) when a thread cannot be made:
 * then nothing is widened. */
bool slip_start(struct slip *s);
/* Stop; the largest lateness seen, in ms (0 when not started). */
double slip_stop(struct slip *s);

#endif
