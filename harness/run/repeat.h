/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * repeat.h - `tcpconform run --repeat N`: the same cases N times in a row,
 * and every verdict that changed between runs (a flake) reported.
 */
#ifndef TC_REPEAT_H
#define TC_REPEAT_H

#include "run/runner.h"

/* Runs @cfg @n times (runner_run()); prints the runs and every variant or
 * check whose verdict changed; writes results/repeat-<first run id>.json.
 * Exit status 1 when anything changed, else the first run's.  A run whose
 * configuration is at fault stops the repeats and leaves its error in @res,
 * for cli/ to print (runner.h). */
int repeat_run(const struct run_config *cfg, int n, struct run_result *res);

#endif
