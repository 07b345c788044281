/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * coverage.h - which TCP state transitions, timers and counters a set of
 * runs exercised, and which of them a table row checked (`tcpconform
 * coverage`, the coverage section of report.html).
 *
 * Each variant is read from what its results directory holds: the
 * sock:inet_sock_set_state events of events.txt (with the resets and
 * tcp_retransmit_synack events), the wire's frames, the observations of
 * observed.json (inet_diag counts and timers, counters, timelines, each
 * with the step that took it) and the variant's checks in summary.json.
 * The rules that turn these into transitions (which socket an event
 * belongs to, a close that is a move into TIME_WAIT, a request socket's
 * life, a row that checks a transition) are README "Coverage"'s; they are
 * all here, pure, so that tests feed them hand-made variants.
 *
 * A results directory may come from another machine: every value is
 * checked for its type, and nothing from it is trusted to be consistent.
 */
#ifndef TC_COVERAGE_H
#define TC_COVERAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/covspec.h"

/* A set of short strings (cases, "NAME.table:LINE" rows), kept sorted. */
struct cov_set {
	char **s;
	size_t n, cap;
};

/* What made one transition, one timer or one counter move, and what checked it. */
struct cov_cell {
	unsigned long variants; /* variants that made it */
	struct cov_set cases;   /* cases that made it */
	struct cov_set rows;    /* the rows that checked it: "NAME.table:LINE" */
};

struct cov_counter {
	char name[128];         /* MIB.Name */
	unsigned long observed; /* variants that observed it */
	struct cov_cell moved;  /* where it was not 0, and the rows that checked it moving */
};

struct coverage {
	const struct cov_transitions *tr;
	const struct cov_timers *tm; /* may be NULL: no timers */
	struct cov_cell cell[CS_COUNT][CS_COUNT];
	struct cov_cell *timer;  /* per tm->names */
	unsigned long *ev_seen;  /* per tm->ev: variants where that evidence was */
	struct cov_counter *ctr; /* sorted by name */
	size_t nctr;
	unsigned long variants;    /* variants read */
	unsigned long with_events; /* ... of which had events.txt */
	unsigned long ran;         /* ... of which ran (status "ran") */
	unsigned long stale;       /* state events left out: no socket of the variant */
};

/* @tr is required, @tm may be NULL; both must outlive @c.  -1: out of memory. */
int cov_init(struct coverage *c, const struct cov_transitions *tr, const struct cov_timers *tm);
void cov_free(struct coverage *c);

/* One variant: @var its entry in summary.json (case, variant, status,
 * checks), @observed its observed.json (NULL when absent), @events the
 * text of its events.txt (NULL when absent).  -1: out of memory. */
int cov_add_variant(struct coverage *c, json_t *var, json_t *observed, const char *events);

struct cov_totals {
	size_t reachable, unreachable; /* listed */
	size_t seen, checked;          /* reachable ones seen, and checked by a row */
	size_t unlisted;               /* seen but not in the list */
	size_t timers, timers_seen, timers_checked;
	size_t counters, counters_moved, counters_checked;
};
void cov_totals(const struct coverage *c, struct cov_totals *t);

/* coverage.json's object (NULL: out of memory); @runs names the results
 * directories read. */
json_t *cov_json(const struct coverage *c, const char *const *runs, size_t nruns);

#endif
