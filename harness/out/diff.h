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

int cmd_diff(int argc, char **argv);

#endif
