/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner.h - `tcpconform run`: every variant of every chosen case in its own
 * forked child and process group, -j at a time, each with a hard time
 * limit; results/<run-id>/ written as README and results/README.md say.
 */
#ifndef TC_RUNNER_H
#define TC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

struct profile;

/* The variants one run holds at most, over all its cases (each case has at
 * most SC_MAX_VARIANTS): README.md, "The case language". */
#define RUN_MAX_VARIANTS 16384

struct run_opts {
	int parallel;                  /* -j; 0: 16 */
	int family;                    /* 0: as each case says; 4 or 6 */
	const char *outdir;            /* NULL: results/<run-id>, and results/latest */
	const struct profile *profile; /* --sysctl FILE, checked; or NULL */
	const char *kconfig;           /* --kernel-config FILE: the kernel's .config, or NULL */
	bool in_order;                 /* --in-order: start cases as named, not slowest first */
	const char *variant;           /* --variant GLOB: only the variants so named, or NULL */
};

/* One run of the cases named (all when @nnames is 0).  The results
 * directory is left in @root when given.  Returns the exit status. */
int runner_run(const struct run_opts *o, char **names, int nnames, char *root, size_t rootlen);

int cmd_run(int argc, char **argv);

#endif
