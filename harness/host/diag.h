/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.h - sockets of a namespace as inet_diag sees them (libnl-idiag-3):
 * TIME_WAIT, SYN_RECV and orphans, with their timers, which no descriptor
 * can show.
 */
#ifndef TC_DIAG_H
#define TC_DIAG_H

#include <stdint.h>

#include "base/error.h"

struct diag_result {
	unsigned count;   /* sockets in the state asked for */
	int64_t timer_ms; /* time left on the first one's timer, -1 if none */
	unsigned timer;   /* which timer (idiag_timer), 0 if none */
	int peer_port;    /* the first one's peer port (idiag_dport), -1 if none */
};

/* The kernel has no inet_diag for TCP (no sock_diag, inet_diag or tcp_diag):
 * a declared absence, e->msg says which.  Any other failure is -1. */
#define DIAG_ABSENT 1

/* TCP sockets of @family (AF_INET/AF_INET6) in @state (TCP_*) in @nsfd,
 * with local port @port when it is > 0.  Returns 0, DIAG_ABSENT or -1 (an
 * unexpected failure: e->errnum is the errno when one is known). */
int diag_query(int nsfd, int family, int state, int port, struct diag_result *r, struct err *e);

#endif
