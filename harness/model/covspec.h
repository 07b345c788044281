/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * covspec.h - what `tcpconform coverage` measures against: the TCP state
 * transitions Linux can make (fixtures/coverage/transitions) and the
 * evidence that each TCP timer fired (fixtures/coverage/timers).  Both are
 * committed data files, read as untrusted input: every error is
 * file:line:col (ERR_INPUT, exit 2), and everything is bounded.
 *
 *   transitions:  FROM TO | SEEN-AS | SOURCE | reachable
 *                 FROM TO | -       | SOURCE | unreachable(REASON)
 *   timers:       TIMER | EVIDENCE | SOURCE
 *
 * '#' starts a comment line; blank lines are skipped.  README "Coverage"
 * documents both files and what each SEEN-AS and EVIDENCE means.
 */
#ifndef TC_COVSPEC_H
#define TC_COVSPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* The states of the coverage matrix: the full socket's (as the tracepoint
 * sock:inet_sock_set_state prints them), a request socket, and a timewait
 * socket in each of its two substates. */
enum cov_state {
	CS_CLOSE,
	CS_LISTEN,
	CS_SYN_SENT,
	CS_NEW_SYN_RECV, /* a request socket (inet_diag: SYN_RECV) */
	CS_SYN_RECV,
	CS_ESTABLISHED,
	CS_FIN_WAIT1,
	CS_FIN_WAIT2,
	CS_CLOSE_WAIT,
	CS_CLOSING,
	CS_LAST_ACK,
	CS_TW_FIN_WAIT2, /* a timewait socket, substate FIN_WAIT2 */
	CS_TIME_WAIT,    /* a timewait socket, substate TIME_WAIT */
	CS_COUNT
};

/* "CLOSE", ..., "TW_FIN_WAIT2", "TIME_WAIT"; NULL out of range. */
const char *cov_state_name(int s);
/* The coverage state named @s (exactly those names), -1 if none. */
int cov_state_parse(const char *s);
/* The coverage state of a kernel state number (tcp_states.h) as the
 * tracepoint prints it for a full socket; -1 for one it never prints
 * there (TIME_WAIT, NEW_SYN_RECV) or no state. */
int cov_state_of_kernel(int kstate);

/* How a results directory shows a transition. */
enum cov_seen {
	SEEN_TRACEPOINT, /* an inet_sock_set_state event FROM -> TO */
	SEEN_TIMEWAIT,   /* tcp_time_wait()'s move, a timewait socket's life */
	SEEN_REQUEST,    /* a request socket's, and a child's birth */
	SEEN_NONE,       /* "-": not observable (unreachable ones only) */
};
const char *cov_seen_name(enum cov_seen s);

#define COV_SOURCE_MAX 2048
#define COV_REASON_MAX 512
#define COV_MAX_LINE   8192

struct cov_transition {
	int from, to; /* enum cov_state */
	enum cov_seen seen;
	bool reachable;
	char source[COV_SOURCE_MAX];
	char reason[COV_REASON_MAX]; /* unreachable: why */
	unsigned line;
};

struct cov_transitions {
	char file[512];
	struct cov_transition *t;
	size_t n;
};

int cov_transitions_parse(const char *text, size_t len, const char *file,
                          struct cov_transitions *tr, struct err *e);
int cov_transitions_load(const char *path, struct cov_transitions *tr, struct err *e);
void cov_transitions_free(struct cov_transitions *tr);
/* The listed transition FROM -> TO, or NULL. */
const struct cov_transition *cov_transition_find(const struct cov_transitions *tr, int from,
                                                 int to);

/* What shows that a timer fired (timers file, EVIDENCE column). */
enum cov_evidence {
	EV_COUNTER,    /* counter [client|server] MIB.Name [if-step WORD]: it moved */
	EV_TRACEPOINT, /* tracepoint retransmit_synack: such events */
	EV_DIAG_TIMER, /* diag-timer STATE: inet_diag read the timer of one */
	EV_WAIT_GONE,  /* wait-gone STATE: a wait until inet_diag shows none */
};

#define COV_TIMER_NAME_MAX 32

struct cov_timer_ev {
	char timer[COV_TIMER_NAME_MAX];
	enum cov_evidence kind;
	int side;           /* EV_COUNTER: 0 client, 1 server, -1 either */
	char what[128];     /* the counter (MIB.Name), the event, the state's name */
	int state;          /* EV_DIAG_TIMER, EV_WAIT_GONE: the kernel state */
	char if_step[64];   /* EV_COUNTER: a word some step of the variant has, or "" */
	char evidence[256]; /* the column as written, for reports */
	char source[COV_SOURCE_MAX];
	unsigned line;
};

struct cov_timers {
	char file[512];
	struct cov_timer_ev *ev;
	size_t n;
	/* the timers, in the order first named */
	char (*names)[COV_TIMER_NAME_MAX];
	size_t nnames;
};

int cov_timers_parse(const char *text, size_t len, const char *file, struct cov_timers *tm,
                     struct err *e);
int cov_timers_load(const char *path, struct cov_timers *tm, struct err *e);
void cov_timers_free(struct cov_timers *tm);

#endif
