/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slip.h - how late the harness's own timers fire, measured while a
 * variant plays.
 *
 * A thread on each CPU the harness may run on (pinned there, up to
 * SLIP_MAX_PROBES) sleeps to deadlines 10 ms apart (clock_nanosleep,
 * absolute, CLOCK_MONOTONIC) and records how late it wakes.  On a quiet
 * machine that is well under a millisecond; on a loaded host, or in a guest
 * under TCG whose vCPUs the host deschedules one at a time, it grows, and
 * so does the lateness of the kernel's own timers that a timing row
 * judges.  One probe per CPU, because a kernel timer fires on the CPU that
 * armed it: a stall of that one vCPU delays it while a probe free to move
 * to another CPU would see nothing.  The largest lateness
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
#include <sys/types.h>

#define SLIP_MAX_PROBES 16

struct slip;

struct slip_probe {
	struct slip *s;
	/* The latest wake-up in its last window of SLIP_WINDOW periods, or
	 * in the current one when later (us): what slip_recent() reads. */
	atomic_long recent_us;
};

struct slip {
	pthread_t thread[SLIP_MAX_PROBES];
	struct slip_probe probe[SLIP_MAX_PROBES];
	int nprobes; /* threads running */
	atomic_bool stop;
	atomic_long max_us; /* the latest wake-up so far, in microseconds */
};

/* Start measuring on every CPU of the caller's affinity mask (the first
 * SLIP_MAX_PROBES); false (and no thread) when no thread can be made:
 * then nothing is widened.  A CPU a probe cannot be pinned to gets an
 * unpinned probe. */
bool slip_start(struct slip *s);
/* Stop; the largest lateness seen, in ms (0 when not started). */
double slip_stop(struct slip *s);

/* The same probes in a process of their own, for a caller that forks and
 * must stay single-threaded (the runner, whose children would inherit a
 * lock a probe thread held at the fork: a variant once hung in a futex
 * that way under ASan).  The probes' struct slip lives in memory shared
 * with that process, which dies with its parent (PR_SET_PDEATHSIG). */
struct slip_monitor {
	pid_t pid; /* -1: not running */
	struct slip *shared;
};

/* Start; false (and nothing running) when the process or its memory
 * cannot be made, or it has no probe. */
bool slip_monitor_start(struct slip_monitor *m);
/* The largest lateness its probes saw in the last half second or so (each
 * probe's last window of 50 periods, or its current one when later), in
 * ms: how late timers run now. */
double slip_monitor_recent(const struct slip_monitor *m);
/* Stop it; the largest lateness its probes saw, in ms. */
double slip_monitor_stop(struct slip_monitor *m);

#endif
