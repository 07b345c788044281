/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * commands.h - the commands main.c's table names, one file each
 * (cli/cmd_NAME.c): each has its option table (cmdline.h), parses its own
 * options with it, prints its command-line errors, fills the engine's
 * configuration struct and calls the engine.  argv[0] is the command's own
 * name.  main.c prints every command's --help from the same tables.
 */
#ifndef TC_COMMANDS_H
#define TC_COMMANDS_H

#include "cli/cmdline.h"
#include "run/runner.h"

int cmd_run(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_guest_send(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* The option tables. */
extern const struct opt run_opts[], profile_opts[], vm_opts[], report_opts[], coverage_opts[];
/* bench's subcommands, each with its options. */
extern const struct cmd bench_cmds[];

/* run's options as read (cmd_run.c), which vm reads too. */
struct run_args {
	struct run_config cfg;
	const char *profile_path; /* --sysctl */
	long repeat;              /* --repeat */
};
void run_args_init(struct run_args *ra);
/* One of run_opts, just read by @cl, into @ra: 0, or EXIT_USAGE after
 * printing why its value is bad. */
int run_option(const struct cmdline *cl, struct run_args *ra);
/* --color[=WHEN] (@arg as typed, @val its value or NULL) into @c: 0, or
 * EXIT_USAGE after the error. */
int color_option(const char *arg, const char *val, enum run_color *c);
/* What --color and NO_COLOR (https://no-color.org: set and not empty, no
 * colour unless --color=always) leave. */
enum run_color color_choice(enum run_color requested);

#endif
