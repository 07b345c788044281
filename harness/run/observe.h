/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * observe.h - the observe step: ask a source (TCP_INFO, inet_diag, the
 * counters, the wire, the tracepoints, a sysctl) and record its answer as
 * the step's named observation; or a skip, for a declared reason only; or
 * an error, naming the errno, for anything else.
 */
#ifndef TC_OBSERVE_H
#define TC_OBSERVE_H

#include "run/player.h"

/* The runner of ST_OBSERVE (run/steps.h): always STEP_LOGGED, the
 * observation recorded whatever it found. */
int observe_run(struct player *p, const struct step *st, long *ret, int *err);

#endif
