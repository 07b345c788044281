// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the tcpconform command line: the command table, and the small
 * commands that need no engine of their own (list, check, version, help).
 * Every other command parses its options in its own cli/cmd_NAME.c and
 * hands the engine a configuration struct (docs/ARCHITECTURE.md).
 *
 * Exit statuses (docs/ARCHITECTURE.md): 0 all expectations met, 1 an
 * unexpected outcome, 2 bad input or usage, 3 the environment cannot run
 * the suite.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/version.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "host/sysctl.h"
#include "host/userns.h"
#include "model/scenario.h"
#include "model/table.h"
#include "run/catalogue.h"

static int cmd_version(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_list(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct cmd commands[] = {
    {"run", cmd_run, "[CASE...] [-j N] [-o DIR] [--family 4|6] [--sysctl FILE] [--repeat N]",
     "run cases in throwaway namespaces and record what happened"},
    {"profile", cmd_profile, "FILE [--against FILE2] [CASE...] [-j N]",
     "what a sysctl profile changes, checked on this kernel"},
    {"vm", cmd_vm, "--kernel SPEC | --kernels SPEC,... [RUN-OPTIONS]",
     "run the catalogue on other kernels in qemu (see `vm --help`)"},
    {"guest-send", cmd_guest_send, "DIR", "a results directory as a framed stream (VM guests)"},
    {"diff", cmd_diff, "DIR_A DIR_B", "what differs between two result directories"},
    {"report", cmd_report, "DIR... [-o FILE]", "one HTML matrix over several result directories"},
    {"list", cmd_list, "[CASE...]", "list the cases, their titles and variants"},
    {"check", cmd_check, "[CASE...]", "validate case files without running them"},
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

/* Load every case named on the command line (or all); 2 on any bad one. */
static int for_each_case(int argc, char **argv, bool verbose_ok,
                         void (*show)(const struct scenario *sc))
{
	struct catalogue cat;
	struct err e;
	size_t i;
	int rc = EXIT_PASS;

	if (catalogue_find(&cat, argv + 1, argc - 1, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	for (i = 0; i < cat.n; i++) {
		struct scenario sc;

		if (scenario_load(cat.paths[i], &sc, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			rc = EXIT_USAGE;
			continue;
		}
		if (show) {
			show(&sc);
		} else {
			char tpath[4600];
			struct table t;

			catalogue_table_path(&cat, sc.name, tpath, sizeof(tpath));
			if (access(tpath, F_OK) != 0) {
				fprintf(stderr,
				        "%s: no table %s: every observation will fail as "
				        "\"no expectation\"\n",
				        cat.paths[i], tpath);
			} else if (table_load(tpath, &t, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				rc = EXIT_USAGE;
			} else {
				if (verbose_ok)
					printf("%s: ok, %zu variant(s); %s: %zu row(s)\n",
					       cat.paths[i], scenario_variants(&sc), tpath,
					       t.nrows);
				table_free(&t);
			}
		}
		scenario_free(&sc);
	}
	catalogue_free(&cat);
	return rc;
}

static void show_case(const struct scenario *sc)
{
	printf("%-24s %3zu  %s\n", sc->name, scenario_variants(sc), sc->title);
}

static int cmd_check(int argc, char **argv)
{
	return for_each_case(argc, argv, true, NULL);
}

static int cmd_list(int argc, char **argv)
{
	printf("%-24s %3s  %s\n", "CASE", "VAR", "TITLE");
	return for_each_case(argc, argv, false, show_case);
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	cmdline_set(argc, argv);
	/* What the case and profile parsers must know of the host (model/ reads
	 * nothing itself): before any of them runs. */
	sysctl_learn_host();
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
	if (!strcmp(c->name, "run") || !strcmp(c->name, "profile") || !strcmp(c->name, "bench")) {
		/* Not root: the rootless mode (userns.h), before any thread exists. */
		struct err e;
		unsigned uid = (unsigned)geteuid();
		int r = userns_enter(&e);

		if (r < 0) {
			err_print(&e);
			return EXIT_ENV;
		}
		if (r == 1)
			fprintf(
			    stderr,
			    "tcpconform: not root: running in a user namespace of its own (uid %u "
			    "is root there); observations that need real root (tracepoints) are "
			    "skipped\n",
			    uid);
	}
	return c->run(argc - 1, argv + 1);
}
