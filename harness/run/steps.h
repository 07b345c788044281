/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * steps.h - run the steps of a variant: one runner per verb, in a table
 * indexed by the verb's kind (model/step.h), the run half of each verb.
 */
#ifndef TC_STEPS_H
#define TC_STEPS_H

#include "run/player.h"

/* A runner: STEP_FAILED (p->e set), STEP_CALLED (the call's return value
 * in *@ret and its errno in *@err, recorded by run_step) or STEP_LOGGED. */
typedef int step_runner(struct player *p, const struct step *st, long *ret, int *err);

/* Indexed by enum step_kind; every kind has one (tests/test_scenario.c). */
extern step_runner *const step_runners[ST_COUNT];

/* Run @st: 0; 1 when this kernel lacks what it needs (p->lacks says what:
 * the variant stops there, skipped); -1 when the harness failed (p->e). */
int run_step(struct player *p, const struct step *st);

#endif
