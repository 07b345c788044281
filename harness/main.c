// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the tcpconform command line.
 *
 * Exit statuses (DESIGN.md): 0 all expectations met, 1 an unexpected
 * outcome, 2 bad input or usage, 3 the environment cannot run the suite.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cmdline.h"
#include "error.h"
#include "version.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct cmd commands[] = {
    {"bench", cmd_bench, "topology [-n N]", "measure the harness (see `bench --help`)"},
    {"version", cmd_version, "", "print the version"},
    {"help", cmd_help, "", "this text"},
    {NULL, NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tcpconform [--help] [--version] COMMAND [ARGS]\n\n"
	             "Tells, with evidence, what the Linux TCP stack really does: scenarios run\n"
	             "between two real kernel endpoints in throwaway network namespaces.\n\n"
	             "commands:\n");
	cmd_usage(out, "tcpconform", commands);
	fprintf(out, "\nexit status: 0 all expectations met, 1 an unexpected outcome,\n"
	             "2 bad input or usage, 3 the environment cannot run the suite.\n");
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%s\n", tc_version());
	return EXIT_PASS;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_PASS;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	cmdline_set(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cmdline_bad(argv[1], "unknown option '%s'", argv[1]);
	c = cmd_find(commands, argv[1]);
	if (!c)
		return cmdline_bad(argv[1], "unknown command '%s'", argv[1]);
	return c->run(argc - 1, argv + 1);
}
