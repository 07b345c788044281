/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner.h - `tcpconform run`: every variant of every chosen case in its own
 * forked child and process group, -j at a time, each with a hard time
 * limit; results/<run-id>/ written as README and results/README.md say.
 */
#ifndef TC_RUNNER_H
#define TC_RUNNER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

struct profile;

/* The variants one run holds at most, over all its cases (each case has at
 * most SC_MAX_VARIANTS): README.md, "The case language". */
#define RUN_MAX_VARIANTS 16384
/* Variants at once by default.  Scenarios mostly wait on kernel timers:
 * the catalogue's variants add up to ~17x its slowest one, so with fewer
 * than ~20 slots the run outlasts its slowest variant (measured on 2
 * cores: -j 16 23.1 s, -j 24 19.9 s, -j 32 19.9 s for a 19.8 s slowest
 * variant, and -j 32 cost up to 3.2 s of set-up per variant). */
#define RUN_JOBS_DEFAULT 24
/* --rerun-slipped by default, in ms: a variant that failed or erred while
 * the harness's own timers woke later than this is run again, alone, once
 * the others are done.  Above what a calm machine shows (under 2 ms on the
 * 2-core development host, idle) and half TCP_DELACK_MIN (HZ/25, 40 ms,
 * include/net/tcp.h), the shortest kernel timer a scenario races: a stall
 * that long can put a kernel timer before a step the scenario meant to
 * come first, and then what was observed is not the exchange the case
 * describes. */
#define RUN_RERUN_SLIP_DEFAULT 20
/* How often a slipped variant runs again at most, and how many variants
 * may: a slip breaks a few scenarios; dozens failing is the kernel. */
#define RUN_RERUNS             2
#define RUN_RERUN_MAX_VARIANTS 24

/* --color: when a run colours its verdicts (cli/ has already turned "auto"
 * into "never" when NO_COLOR is set). */
enum run_color { RUN_COLOR_AUTO = 0, RUN_COLOR_ALWAYS, RUN_COLOR_NEVER };

/* What a run does, as cli/cmd_run.c (or repeat.c, profile_diff.c) fills it
 * in: no argv here. */
struct run_config {
	char **names; /* the cases named (all when @nnames is 0) */
	int nnames;
	int parallel;         /* -j; 0: 16 */
	double slip_limit_ms; /* --slip-limit: hold starts while timers run later; 0: never */
	double rerun_slip_ms; /* --rerun-slipped: run a failure again when its slip was over; 0:
	                         never */
	int family;           /* 0: as each case says; 4 or 6 */
	const char *outdir;   /* NULL: results/<run-id>, and results/latest */
	const struct profile *profile; /* --sysctl FILE, checked; or NULL */
	const char *kconfig;           /* --kernel-config FILE: the kernel's .config, or NULL */
	bool in_order;                 /* --in-order: start cases as named, not slowest first */
	const char *variant;           /* --variant GLOB: only the variants so named, or NULL */
	/* Only these variants, "CASE/VARIANT" each (`tcpconform profile`:
	 * those a profile changes); NULL: all.  An empty list runs none. */
	const char *const *only;
	size_t nonly;
	enum run_color color; /* auto: when stdout is a terminal */
};

/* What a run leaves besides its exit status. */
struct run_result {
	char root[PATH_MAX]; /* the results directory (made or not) */
	/* A value of the configuration at fault (an -o that cannot be a
	 * results directory, a --variant that names no variant): the run exits
	 * 2 without printing it, and cli/ prints bad.msg as a command-line
	 * error that points at @bad_value (one of the configuration's strings,
	 * or NULL).  bad.kind is ERR_NONE otherwise. */
	struct err bad;
	const char *bad_value;
};

/* One run of the cases @cfg names.  Prints its progress and its own errors
 * (not @res->bad).  Returns the exit status. */
int runner_run(const struct run_config *cfg, struct run_result *res);

#endif
