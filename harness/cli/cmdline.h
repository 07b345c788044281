/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmdline.h - the command table and uniform command-line errors.
 *
 * Like ip(8): `tcpconform COMMAND [SUBCOMMAND] [OPTIONS]`, each command a row
 * in a table.  A bad argument is reported as "command line:1:COL: ..." where
 * COL is the argument's column in the command line as typed, and exits 2.
 */
#ifndef TC_CMDLINE_H
#define TC_CMDLINE_H

#include <stdio.h>

#include "base/error.h"

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command's own name */
	const char *args;
	const char *help;
};

/* Find @name in a NULL-terminated table; prefixes match when unambiguous. */
const struct cmd *cmd_find(const struct cmd *table, const char *name);
void cmd_usage(FILE *out, const char *prefix, const struct cmd *table);

/* Remember the full command line, for columns in error messages. */
void cmdline_set(int argc, char **argv);
/* Report @arg (a pointer into argv) as bad: prints and returns EXIT_USAGE. */
int cmdline_bad(const char *arg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse a positive integer option value; returns -1 (after cmdline_bad). */
long cmdline_positive(const char *opt, const char *arg, long max);

#endif
