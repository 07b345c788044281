/* SPDX-License-Identifier: GPL-2.0-only */
/* diff.h - `tcpconform diff DIR_A DIR_B`. */
#ifndef TC_DIFF_H
#define TC_DIFF_H

#include <stdio.h>

#include "out/summary.h"

/* The differences between runs @a and @b (labelled @la and @lb) on @out,
 * every string from them escaped for a terminal; returns how many. */
unsigned diff_summaries(FILE *out, const struct summary *a, const struct summary *b, const char *la,
                        const char *lb);

/* `diff`: the runs in directories @a and @b compared on stdout, then "N
 * difference(s)".  Returns the exit status: 1 when anything differs, 2
 * when either is no run (said on stderr). */
int diff_dirs(const char *a, const char *b);

#endif
