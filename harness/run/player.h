/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * player.h - one variant being played (play.h): what it has built, what it
 * holds, what it records, and the helpers every part of the playing uses:
 * its clock and log, its two ends and their addresses.
 *
 * Internal to run/: play.c builds a player and tears it down; steps.c,
 * observe.c, flood.c, record.c and sysctls.c act on it.
 */
#ifndef TC_PLAYER_H
#define TC_PLAYER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#include "base/afile.h"
#include "base/error.h"
#include "host/addrblock.h"
#include "host/counters.h"
#include "host/topology.h"
#include "host/tracer.h"
#include "model/scenario.h"
#include "run/slip.h"
#include "run/sockets.h"
#include "wire/wire.h"

/* Where a variant's time goes, for `tcpconform bench variant` (observed.json
 * "phases_ms"): each phase from the end of the one before. */
enum phase {
	PHASE_ADDRBLOCK, /* an address block taken */
	PHASE_TOPOLOGY,  /* namespaces, links, addresses, routes */
	PHASE_SYSCTLS,   /* the case's sysctls written and read back */
	PHASE_TRACER,    /* tracepoints (the run's shared instance: nothing) */
	PHASE_COUNTERS,  /* the counters before */
	PHASE_WIRE,      /* the wire's sockets and thread */
	PHASE_STEPS,     /* the scenario */
	PHASE_CLOSE,     /* its sockets closed */
	PHASE_WIRE_STOP, /* the wire stopped, its traces written */
	PHASE_EVENTS,    /* tracepoint events and state timelines */
	PHASE_FINISH,    /* the slip probe stopped, the rest until the record */
	PHASE_N
};

struct player {
	const struct scenario *sc;
	int family;
	unsigned axes[SC_MAX_AXES];
	struct addrblock block;
	struct topology t;
	bool built;
	struct wire *w;
	struct sockets socks;
	struct counters before[2];
	struct counters *marks; /* per step, per side: the counters at a mark */
	unsigned *mark_frames;  /* per step: the frames the wire had at a mark */
	json_t *obs, *steps, *sysctls, *frames;
	FILE *log; /* log.txt: the caller's, or own_log's */
	struct afile own_log;
	bool has_own_log;
	double t0;      /* ms, monotonic */
	double step_ms; /* time spent inside steps */
	double phase_ms[PHASE_N];
	double phase_t; /* ms, when the last phase ended */
	struct err *e;
	char obs_error[512]; /* the first observation that failed, for the summary */
	char lacks[300];     /* what a step needed and this kernel lacks (STEP_LACKS) */
	struct tracer tr;
	struct slip slip;  /* the lateness of our own timers (slip.h) */
	double slip_ms;    /* its largest, once stopped */
	double mono_start; /* s, CLOCK_MONOTONIC (the trace clock), when the
	                    * address block became ours: the run's shared
	                    * buffer holds earlier variants' events, maybe
	                    * from this same block */
};

/* What a step's runner did (run/steps.h). */
enum step_result {
	STEP_FAILED = -1, /* the harness failed: p->e says why, the variant is an error */
	STEP_CALLED = 0,  /* a call: its return value and errno are the step's result */
	STEP_LOGGED = 1,  /* the step logged (and recorded) itself */
	STEP_LACKS = 2,   /* this kernel lacks what the step needs (p->lacks): the
	                   * variant stops there and is skipped for that reason */
};

/* Phase @ph ends now. */
void player_phase(struct player *p, enum phase ph);
/* The phases' names, for observed.json. */
extern const char *const phase_names[PHASE_N];
/* A line of log.txt, after the seconds since the variant began. */
void player_log(struct player *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A side's end of the topology, and the other side's. */
const struct topo_end *player_end(struct player *p, enum side s);
const struct topo_end *player_peer(struct player *p, enum side s);
/* @end's address in the variant's family, with @port, into @ss. */
socklen_t player_addr(struct player *p, const struct topo_end *end, int port,
                      struct sockaddr_storage *ss);
/* A timespec in seconds. */
double ts_sec(struct timespec t);

#endif
