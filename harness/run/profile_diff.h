/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile_diff.h - `tcpconform profile FILE [--against FILE2] [CASE...]`:
 * what a sysctl profile changes, behaviour by behaviour, compared with the
 * kernel's defaults (or FILE2).  Both runs go at once; the profile run's
 * results directory gets profile.json and a section in report.html.
 */
#ifndef TC_PROFILE_DIFF_H
#define TC_PROFILE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "run/runner.h"

/* What `profile` does, as cli/cmd_profile.c fills it in. */
struct profile_config {
	const char *const *inputs; /* the profile: files and directories, in order */
	size_t ninputs;
	bool system;          /* --system: systemd-sysctl's directories (under @root) */
	const char *root;     /* --root DIR, or NULL */
	bool strict;          /* --strict: a line not applied is an error (exit 2) */
	const char *against;  /* --against FILE2, or NULL: the kernel's defaults */
	const char *outdir;   /* -o DIR: DIR/baseline and DIR/profile; NULL: under results/ */
	int parallel;         /* -j, for each run */
	int family;           /* --family: 4 or 6; 0 as each case says */
	enum run_color color; /* --color, for each run */
	char **names;         /* the cases named (all when @nnames is 0) */
	int nnames;
};

/* What profile_diff() leaves for cli/ to print, in this order: each run's
 * error when a value of its configuration was at fault (runner.h), the
 * profile's then the baseline's (which runs in a child), then why it
 * stopped after the runs (ERR_NONE: it did not). */
struct profile_result {
	struct run_result profile, baseline;
	struct err stop;
};

/* The baseline's run (FILE2 or the defaults) and FILE's at once, in the
 * steps profile_diff.c names; then what FILE changes, printed and written
 * to the profile run's profile.json, and its report.html.  Prints progress
 * and its own errors (not those left in @res).  Returns the exit status. */
int profile_diff(const struct profile_config *cfg, struct profile_result *res);

#endif
