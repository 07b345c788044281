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
#include "model/covspec.h"
#include "model/scenario.h"
#include "model/table.h"
#include "run/catalogue.h"

static int cmd_version(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_list(int argc, char **argv);
static int cmd_help_cmd(int argc, char **argv);

static const char case_more[] =
    "CASE: a case name (refused), a glob over names ('tw-*') or a path\n"
    "(cases/refused.case); none: every case.\n";
static const char profile_more[] =
    "INPUT: a sysctl.conf, a sysctl.d directory (its *.conf, in lexical order) or the\n"
    "output of sysctl -a; several at once, later settings winning. The first operand\n"
    "is one, and each next that names an existing file or directory (not *.case).\n"
    "CASE: as for run, after the inputs.\n";
static const char vm_more[] =
    "SPEC: debian:VERSION[:FLAVOUR][@SUITE] (the newest in every Debian suite, or in\n"
    "SUITE, fetched with tcpconform's own apt), debian:list (= --list-kernels),\n"
    "FILE.deb[:FILE.deb...] or DIR (a kernel's packages, classic or split layout),\n"
    "BZIMAGE[:MODDIR], src:PATH[:BUILDDIR] (built), host (--kernels only).\n"
    "CASE: as for run; checked here, with run's options, before any download or boot.\n";

static const struct cmd commands[] = {
    {.name = "run",
     .run = cmd_run,
     .args = "[CASE...]",
     .help = "run cases in throwaway namespaces and record what happened",
     .opts = run_opts,
     .more = case_more},
    {.name = "profile",
     .run = cmd_profile,
     .args = "INPUT... [CASE...]",
     .help = "what a sysctl profile changes, checked on this kernel",
     .opts = profile_opts,
     .more = profile_more},
    {.name = "vm",
     .run = cmd_vm,
     .args = "[CASE...]",
     .help = "run the catalogue on other kernels in qemu",
     .opts = vm_opts,
     .inherit = run_opts,
     .inherit_from = "run",
     .more = vm_more},
    {.name = "guest-send",
     .run = cmd_guest_send,
     .args = "DIR",
     .help = "a results directory as a framed stream on stdout (VM guests)"},
    {.name = "diff",
     .run = cmd_diff,
     .args = "DIR_A DIR_B",
     .help = "what differs between two result directories"},
    {.name = "report",
     .run = cmd_report,
     .args = "DIR...",
     .help = "one HTML matrix over several result directories",
     .opts = report_opts},
    {.name = "coverage",
     .run = cmd_coverage,
     .args = "[RESULTS...]",
     .help = "which TCP state transitions, timers and counters runs exercised and checked",
     .opts = coverage_opts,
     .more = "RESULTS: results directories (default results/latest).\n"},
    {.name = "list",
     .run = cmd_list,
     .args = "[CASE...]",
     .help = "list the cases, their titles and variants",
     .more = case_more},
    {.name = "check",
     .run = cmd_check,
     .args = "[CASE...]",
     .help = "validate case files and their tables without running them",
     .more = case_more},
    {.name = "bench",
     .run = cmd_bench,
     .args = "",
     .help = "measure the harness",
     .subs = bench_cmds},
    {.name = "version", .run = cmd_version, .args = "", .help = "print the version"},
    {.name = "help",
     .run = cmd_help_cmd,
     .args = "[COMMAND [SUBCOMMAND]]",
     .help = "this text, or a command's: the same as COMMAND --help"},
    {.name = NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tcpconform [--help] [--version] COMMAND [OPTION...] [ARG...]\n\n"
	             "Tells, with evidence, what the Linux TCP stack really does: scenarios run\n"
	             "between two real kernel endpoints in throwaway network namespaces.\n\n"
	             "commands (each with --help, or tcpconform help COMMAND):\n");
	cmd_usage(out, "tcpconform", commands);
	fprintf(out, "\nexit status: 0 all expectations met, 1 an unexpected outcome,\n"
	             "2 bad input or usage, 3 the environment cannot run the suite.\n"
	             "NO_COLOR (set, not empty): no colours unless --color=always.\n");
}

/* The command argv names, down through its subcommands (bench wire):
 * *depth arguments name it, @prefix gets "tcpconform bench". */
static const struct cmd *resolve(int argc, char **argv, int *depth, char *prefix, size_t len)
{
	const struct cmd *c = cmd_find(commands, argv[0]);

	*depth = 1;
	snprintf(prefix, len, "tcpconform");
	while (c && c->subs && *depth < argc && argv[*depth][0] != '-') {
		const struct cmd *sub = cmd_find(c->subs, argv[*depth]);

		if (!sub)
			break;
		snprintf(prefix + strlen(prefix), len - strlen(prefix), " %s", c->name);
		c = sub;
		(*depth)++;
	}
	return c;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%s\n", tc_version());
	return EXIT_PASS;
}

/* help [COMMAND [SUBCOMMAND]]: what COMMAND --help prints. */
static int cmd_help_cmd(int argc, char **argv)
{
	char prefix[128];
	const struct cmd *c;
	int depth;

	if (argc < 2) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (argv[1][0] == '-' && strcmp(argv[1], "--help") && strcmp(argv[1], "-h"))
		return cmdline_bad(argv[1], "unknown option '%s'", argv[1]);
	c = resolve(argc - 1, argv + 1, &depth, prefix, sizeof(prefix));
	if (!c)
		return cmdline_bad(argv[1], "unknown command '%s'", argv[1]);
	if (depth + 1 < argc)
		return cmdline_bad(argv[depth + 1], "help: unknown subcommand '%s'",
		                   argv[depth + 1]);
	cmd_help(stdout, prefix, c);
	return EXIT_PASS;
}

/* fixtures/coverage/transitions and timers, as run and coverage read them:
 * 2 when one is bad; absent ones are no error (run then leaves the
 * coverage out of its report). */
static int check_coverage(const struct catalogue *cat, bool verbose)
{
	struct cov_transitions tr;
	struct cov_timers tm;
	char path[4600];
	struct err e;
	int rc = EXIT_PASS;

	if (catalogue_fixture_path(cat, "coverage/transitions", path, sizeof(path)) == 0 &&
	    access(path, F_OK) == 0) {
		if (cov_transitions_load(path, &tr, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			rc = EXIT_USAGE;
		} else {
			if (verbose)
				printf("%s: ok, %zu transition(s)\n", path, tr.n);
			cov_transitions_free(&tr);
		}
	}
	if (catalogue_fixture_path(cat, "coverage/timers", path, sizeof(path)) == 0 &&
	    access(path, F_OK) == 0) {
		if (cov_timers_load(path, &tm, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			rc = EXIT_USAGE;
		} else {
			if (verbose)
				printf("%s: ok, %zu timer(s)\n", path, tm.nnames);
			cov_timers_free(&tm);
		}
	}
	return rc;
}

/* Load every case named on the command line (or all); 2 on any bad one. */
static int for_each_case(int argc, char **argv, bool verbose_ok,
                         void (*show)(const struct scenario *sc))
{
	struct catalogue cat;
	struct cmdline cl;
	struct err e;
	size_t i;
	int rc = EXIT_PASS, c;

	cmdline_start(&cl, NULL, NULL, argc, argv);
	if ((c = cmdline_next(&cl)) != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (catalogue_find(&cat, argv + 1, cl.nops, &e) < 0) {
		if (cat.bad)
			return cmdline_bad(cat.bad, "%s", e.msg);
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
			} else if (table_check_case(&t, &sc, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				table_free(&t);
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
	if (!show && check_coverage(&cat, verbose_ok) != EXIT_PASS)
		rc = EXIT_USAGE;
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

static bool header_done;

static void show_case_first(const struct scenario *sc)
{
	if (!header_done)
		printf("%-24s %3s  %s\n", "CASE", "VAR", "TITLE");
	header_done = true;
	show_case(sc);
}

static int cmd_list(int argc, char **argv)
{
	return for_each_case(argc, argv, false, show_case_first);
}

int main(int argc, char **argv)
{
	static char name[128];
	const struct cmd *c;
	char prefix[128];
	int depth;

	cmdline_set(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cmdline_bad(argv[1], "unknown option '%s'", argv[1]);
	c = resolve(argc - 1, argv + 1, &depth, prefix, sizeof(prefix));
	if (!c)
		return cmdline_bad(argv[1], "unknown command '%s'", argv[1]);
	/* --help anywhere (not as an option's value): the usage, and nothing else. */
	if (cmd_help_asked(c, argc - depth, argv + depth)) {
		cmd_help(stdout, prefix, c);
		return EXIT_PASS;
	}
	if (c->subs && depth + 1 >= argc) {
		cmd_help(stderr, prefix, c);
		return EXIT_USAGE;
	}
	/* "bench wire" for "Try 'tcpconform bench wire --help'" */
	snprintf(name, sizeof(name), "%s%s%s", prefix + strlen("tcpconform"), depth > 1 ? " " : "",
	         c->name);
	cmdline_command(name[0] == ' ' ? name + 1 : name);
	c = cmd_find(commands, argv[1]); /* a subcommand's command runs it */
	/* What the case and profile parsers must know of the host (model/ reads
	 * nothing itself): before any of them runs. */
	sysctl_learn_host();
	if (!strcmp(c->name, "run") || !strcmp(c->name, "profile") || !strcmp(c->name, "bench")) {
		/* Not root: the rootless mode (userns.h), before any thread exists. */
		struct err e;
		unsigned uid = (unsigned)geteuid();
		int r = userns_enter(&e);

		if (r < 0) {
			err_print(&e);
			return EXIT_ENV;
		}
		if (r == 0 && userns_own_netns())
			fprintf(stderr,
			        "tcpconform: root of a user namespace that does not own this "
			        "network namespace (a rootless container): running in a "
			        "network namespace of its own; tracepoints are skipped\n");
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
