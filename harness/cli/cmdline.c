// SPDX-License-Identifier: GPL-2.0-only
/* cmdline.c - command tables and command-line errors with their column. */
#include "cli/cmdline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int saved_argc;
static char **saved_argv;
/* The order as typed: getopt_long() permutes argv, and the columns are
 * those of the command line as typed. */
static char *typed[256];

void cmdline_set(int argc, char **argv)
{
	int i;

	saved_argc = argc;
	saved_argv = argv;
	if (argc <= (int)(sizeof(typed) / sizeof(typed[0]))) {
		for (i = 0; i < argc; i++)
			typed[i] = argv[i];
		saved_argv = typed;
	}
}

static unsigned column_of(const char *arg)
{
	unsigned col = 1;
	int i;

	for (i = 0; i < saved_argc; i++) {
		size_t len = strlen(saved_argv[i]);

		if (arg >= saved_argv[i] && arg <= saved_argv[i] + len)
			return col + (unsigned)(arg - saved_argv[i]);
		col += (unsigned)len + 1;
	}
	return 1;
}

int cmdline_bad(const char *arg, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "command line:1:%u: %s\n", column_of(arg), msg);
	fprintf(stderr, "Try 'tcpconform --help'.\n");
	return EXIT_USAGE;
}

long cmdline_positive(const char *opt, const char *arg, long max)
{
	char *end;
	long v;

	if (!arg) {
		cmdline_bad(opt, "%s needs a value", opt);
		return -1;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0 || v > max) {
		cmdline_bad(arg, "%s: '%s' is not a number from 1 to %ld", opt, arg, max);
		return -1;
	}
	return v;
}

const struct cmd *cmd_find(const struct cmd *table, const char *name)
{
	const struct cmd *c, *found = NULL;
	size_t n = strlen(name);

	for (c = table; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		if (n && strncmp(c->name, name, n) == 0) {
			if (found)
				return NULL; /* ambiguous */
			found = c;
		}
	}
	return found;
}

void cmd_usage(FILE *out, const char *prefix, const struct cmd *table)
{
	const struct cmd *c;

	for (c = table; c->name; c++) {
		char left[80];

		snprintf(left, sizeof(left), "%s %s %s", prefix, c->name, c->args);
		fprintf(out, "  %-44s %s\n", left, c->help);
	}
}
