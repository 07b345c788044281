// SPDX-License-Identifier: GPL-2.0-only
/* play.c - run one scenario variant and record what happened. */
#include "run/play.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/num.h"
#include "out/results.h"
#include "run/player.h"
#include "run/record.h"
#include "run/steps.h"
#include "run/sysctls.h"
#include "wire/trace.h"

static void realtime(struct player *p, bool on)
{
	struct sched_param sp = {.sched_priority = on ? 10 : 0};
	int policy = on ? SCHED_FIFO : SCHED_OTHER;

	sched_setscheduler(0, policy, &sp); /* this thread */
	if (p->w)
		wire_set_sched(p->w, policy, sp.sched_priority);
}

static bool step_applies(struct player *p, const struct step *st)
{
	size_t i;

	if (!st->when_var[0])
		return true;
	for (i = 0; i < p->sc->naxes; i++)
		if (strcmp(p->sc->axes[i].name, st->when_var) == 0)
			return strcmp(p->sc->axes[i].values[p->axes[i]], st->when_value) == 0;
	return false;
}

/* The player of variant @variant, its name in @vname, its log open. */
static void player_init(struct player *p, const struct scenario *sc, size_t variant, int dirfd,
                        FILE *log, struct err *e, char *vname, size_t vlen)
{
	p->sc = sc;
	p->e = e;
	p->block.lockfd = -1;
	p->t0 = clock_ms();
	p->phase_t = p->t0;
	p->mono_start = p->t0 / 1e3; /* moved on once the block is ours */
	p->obs = json_object();
	p->marks = calloc(2 * sc->nsteps + 2, sizeof(*p->marks));
	p->mark_frames = calloc(sc->nsteps + 1, sizeof(*p->mark_frames));
	p->steps = json_array();
	p->sysctls = json_object();
	scenario_variant(sc, variant, &p->family, p->axes, vname, vlen);
	p->log = log;
	if (!log) {
		struct err e2;

		p->has_own_log = afile_openat(&p->own_log, dirfd, RESULTS_LOG, NULL, &e2) == 0;
		p->log = p->has_own_log ? p->own_log.fp : NULL;
	}
	player_log(p, "case %s, variant %s (%s)", sc->name, vname, sc->file);
}

/* The topology, the sysctls, the tracepoints, the counters, the wire:
 * 0, 1 when the variant is skipped (why in @skip), -1 on an error. */
static int set_up(struct player *p, const struct tracer *shared, char *skip, size_t skiplen,
                  double *setup_ms)
{
	struct topology_opts o = {.shape = TOPO_WIRE};
	struct wire_opts wo = {.keep_payload = true};
	int rc, s;

	if (!p->marks || !p->mark_frames)
		return err_set(p->e, ERR_SYSTEM, "out of memory");
	if (p->sc->skip_reason[0]) { /* the kernel lacks an option the case needs */
		snprintf(skip, skiplen, "%s", p->sc->skip_reason);
		player_log(p, "skip: %s", skip);
		return 1;
	}
	if (addrblock_acquire(&p->block, p->e) < 0)
		return -1;
	/* Tracepoints are global: an event with this block's addresses is
	 * this variant's only from now on (before, another variant held the
	 * block: seen under ASan at -j 12, a listener's timeline took a whole
	 * LISTEN, CLOSE of the variant that had the block just before). */
	p->mono_start = clock_ms() / 1e3;
	player_phase(p, PHASE_ADDRBLOCK);
	o.block = p->block.index;
	if (topology_build(&p->t, &o, p->e) < 0)
		return -1;
	p->built = true;
	player_phase(p, PHASE_TOPOLOGY);
	rc = sysctls_apply(p, skip, skiplen);
	if (rc != 0) {
		if (rc > 0)
			player_log(p, "skip: %s", skip);
		return rc;
	}
	if (sysctls_read_back(p) < 0)
		return -1;
	player_phase(p, PHASE_SYSCTLS);
	if (shared)
		p->tr = *shared;
	else if (tracer_start(&p->tr, p->e) < 0)
		return -1;
	if (!p->tr.active)
		player_log(p, "tracepoints unavailable: %s", p->tr.unavailable);
	player_phase(p, PHASE_TRACER);
	for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++)
		if (counters_read(player_end(p, (enum side)s)->nsfd, &p->before[s], p->e) < 0)
			return -1;
	player_phase(p, PHASE_COUNTERS);
	wo.nsfd = p->t.wire_nsfd;
	wo.ifindex_c = p->t.wire_c.ifindex;
	wo.ifindex_s = p->t.wire_s.ifindex;
	if (wire_start(&p->w, &wo, p->e) < 0)
		return -1;
	player_phase(p, PHASE_WIRE);
	*setup_ms = clock_ms() - p->t0;
	player_log(p, "set up in %.3f ms (block %u)", *setup_ms, p->block.index);
	return 0;
}

/* The steps race kernel timers (the 40 ms delayed ACK, for one): run
 * them, and the wire, at a real-time priority so that a busy machine
 * does not decide the outcome.  Only the steps: set-up and writing the
 * results stay ordinary, so parallel variants do not hold the CPU from
 * each other.  Where not permitted, they run as they are. */
static int play_steps(struct player *p)
{
	size_t i;
	int rc = 0;

	realtime(p, true);
	for (i = 0; i < p->sc->nsteps && rc == 0; i++)
		if (step_applies(p, &p->sc->steps[i]))
			rc = run_step(p, &p->sc->steps[i]);
	realtime(p, false);
	player_phase(p, PHASE_STEPS);
	return rc;
}

/* Stop the wire, write its traces, keep its frames; a capture or a
 * forwarding that failed makes a variant that ran an error. */
static void stop_wire(struct player *p, int dirfd, int *rc, const char **status, char *skip,
                      size_t skiplen)
{
	struct err e2;

	if (!p->w)
		return;
	if (wire_stop(p->w, &e2) < 0 ||
	    trace_write(p->w, dirfd, RESULTS_PCAP, RESULTS_TRACE, &e2) < 0)
		player_log(p, "writing traces: %s", e2.msg);
	p->frames = record_frames(p->w);
	if (*rc == 0 && wire_errors(p->w, skip, skiplen)) {
		/* The capture or the forwarding failed: the run proves nothing. */
		snprintf(p->e->msg, sizeof(p->e->msg), "%s", skip);
		p->e->kind = ERR_ENV;
		*status = "error";
		*rc = -1;
		player_log(p, "error: %s", skip);
	}
	/* freed last (player_free()): its sockets close meanwhile */
}

static void player_free(struct player *p)
{
	size_t i;

	if (p->built)
		topology_destroy(&p->t);
	wire_free(p->w);
	addrblock_release(&p->block);
	counters_free(&p->before[0]);
	counters_free(&p->before[1]);
	for (i = 0; p->marks && i < 2 * p->sc->nsteps; i++)
		counters_free(&p->marks[i]);
	free(p->marks);
	free(p->mark_frames);
	json_decref(p->obs);
	json_decref(p->steps);
	json_decref(p->sysctls);
	json_decref(p->frames);
	if (p->has_own_log) {
		struct err e2;

		afile_commit(&p->own_log, &e2);
	} else if (p->log) {
		fflush(p->log);
	}
	free(p);
}

static int mark_fd = -1;

void play_set_marks(int fd)
{
	mark_fd = fd;
}

/* The runner reads the pipe until the status comes: a write fails only
 * when the runner is gone (and SIGPIPE, the default in a variant's child,
 * ends it then). */
static void mark(unsigned char c)
{
	if (mark_fd >= 0 && write(mark_fd, &c, 1) != 1)
		mark_fd = -1;
}

void play_pause_for_tests(const char *env)
{
	const char *v = getenv(env);
	long long ms;
	struct timespec ts;

	if (!v || num_int(v, strlen(v), 0, 600000, &ms, NULL) != NUM_OK)
		return;
	ts = (struct timespec){.tv_sec = (time_t)(ms / 1000),
	                       .tv_nsec = (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int play_variant(const struct scenario *sc, size_t variant, int dirfd, FILE *log,
                 const struct tracer *shared, struct err *e)
{
	struct player *p = calloc(1, sizeof(*p));
	char vname[512], skip[300] = "";
	double setup_ms = 0;
	const char *status = "ran";
	struct err e2;
	int rc;

	if (!p)
		return err_set(e, ERR_SYSTEM, "out of memory");
	player_init(p, sc, variant, dirfd, log, e, vname, sizeof(vname));
	slip_start(&p->slip);
	rc = set_up(p, shared, skip, sizeof(skip), &setup_ms);
	if (rc == 0) {
		mark(PLAY_MARK_SCENARIO);
		rc = play_steps(p);
		if (rc > 0) /* a step needed what this kernel lacks */
			snprintf(skip, sizeof(skip), "%s", p->lacks);
	}
	mark(PLAY_MARK_COLLECT);
	play_pause_for_tests("TCPCONFORM_TEST_COLLECT_MS");
	if (rc > 0) {
		status = "skip";
	} else if (rc < 0) {
		status = "error";
		player_log(p, "error: %s", e->msg);
	}
	sockets_close_all(&p->socks);
	player_phase(p, PHASE_CLOSE);
	stop_wire(p, dirfd, &rc, &status, skip, sizeof(skip));
	player_phase(p, PHASE_WIRE_STOP);
	if (record_events(p, dirfd, &e2) < 0) {
		player_log(p, "error: %s", e2.msg);
		if (rc >= 0) {
			*e = e2;
			status = "error";
			rc = -1;
		}
	}
	if (!shared)
		tracer_stop(&p->tr);
	player_phase(p, PHASE_EVENTS);
	p->slip_ms = slip_stop(&p->slip);
	player_phase(p, PHASE_FINISH);
	record_observed(p, dirfd, vname, status,
	                rc < 0                        ? e->msg
	                : strcmp(status, "skip") == 0 ? skip
	                : p->obs_error[0]             ? p->obs_error
	                                              : NULL,
	                clock_ms() - p->t0, setup_ms);
	player_free(p);
	return rc < 0 ? -1 : strcmp(status, "skip") == 0 ? 1 : 0;
}
