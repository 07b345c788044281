/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tracer.h - kernel tracepoints through a private tracefs instance.
 *
 * Events: sock:inet_sock_set_state (every state change, SYN_SENT and
 * CLOSING included), tcp:tcp_send_reset, tcp:tcp_receive_reset,
 * tcp:tcp_retransmit_skb, tcp:tcp_retransmit_synack.  tracefs is used where
 * it is mounted; where it is not, it is mounted in a mount namespace of the
 * calling process only, so the host's mounts never change.  The instance is
 * named tcpconform-PID-TOKEN (TOKEN random: a pid may be another PID
 * namespace's too).  Its owner holds its tracing_on open for its whole
 * life, and the kernel refuses to remove an instance with an open file:
 * tracer_start() removes every tcpconform-* instance the kernel lets it
 * remove, which are those of runs that have ended.  A watcher process
 * stops the instance's tracing and removes it when the run dies without
 * tracer_stop() (SIGKILL).
 * Where tracefs cannot be had (not root, no tracefs), tracer_start() says
 * why and the observations that need it are skipped, never guessed.
 */
#ifndef TC_TRACER_H
#define TC_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/trace_event.h"

struct tracer {
	char dir[512]; /* the instance directory */
	int fd;        /* its tracing_on, held open: proves the instance is ours */
	int watcher;   /* pid of the watcher, or -1 */
	bool active;
	char unavailable[256]; /* why, when not active */
	unsigned missing;      /* 1 << enum trace_kind: events this kernel lacks */
};

/* Returns 0 (active), 1 (unavailable: t->unavailable says why: rootless,
 * no privilege, a kernel without tracefs or the state tracepoint) or -1
 * (anything else, such as running out of descriptors: in @e). */
int tracer_start(struct tracer *t, struct err *e);
/* The instance's buffer as text (malloc'd, NUL-terminated), or NULL with
 * errno set. */
char *tracer_read(struct tracer *t);
/* Disable the events and remove the instance (in the process that called
 * tracer_start(), not in a child that shares it). */
void tracer_stop(struct tracer *t);

/* The event ("tcp/tcp_receive_reset") an active tracer lacks for @k because
 * this kernel has no such tracepoint, or NULL. */
const char *tracer_missing(const struct tracer *t, enum trace_kind k);

#endif
