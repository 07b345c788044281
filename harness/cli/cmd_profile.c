// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_profile.c - `tcpconform profile INPUT... [CASE...] [OPTIONS]`: the
 * options into a struct profile_config for profile_diff() (profile_diff.h),
 * and the errors it leaves printed.  INPUTs are the sysctl files and
 * directories: the first operand, and each next one that names an existing
 * file or directory (not a *.case); the operands after them are cases.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "run/profile_diff.h"
#include "run/runner.h"

enum {
	PROFILE_AGAINST = 256,
	PROFILE_FAMILY,
	PROFILE_COLOR,
	PROFILE_SYSTEM,
	PROFILE_ROOT,
	PROFILE_STRICT
};

const struct opt profile_opts[] = {
    {PROFILE_AGAINST, 0, "against", "FILE2", "compare with this profile", "the kernel's defaults",
     0},
    {'j', 'j', "jobs", "N", "variants at once in each run, 1 to 256", "24", 0},
    {'o', 'o', "output", "DIR", "DIR/baseline and DIR/profile", "results/RUN-ID for each run", 0},
    {PROFILE_FAMILY, 0, "family", "4|6", "IPv4 or IPv6 variants only", "both, as each case says",
     0},
    {PROFILE_COLOR, 0, "color", "WHEN", "colour the verdicts: auto, always or never", "auto",
     OPT_OPTIONAL},
    {PROFILE_SYSTEM, 0, "system", NULL,
     "the system's configuration, as systemd-sysctl reads it: /etc, /run, /usr/local/lib "
     "and /usr/lib sysctl.d",
     NULL, 0},
    {PROFILE_ROOT, 0, "root", "DIR", "--system below DIR (an image, a container's tree)", "/", 0},
    {PROFILE_STRICT, 0, "strict", NULL,
     "a line that cannot be applied is an error (exit 2), as for run --sysctl", "list it and go on",
     0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static void print_bad(const struct run_result *res, const struct run_result *same)
{
	/* Both runs refuse the same case name: said once. */
	if (same && same->bad.kind != ERR_NONE && same->bad_value == res->bad_value &&
	    strcmp(same->bad.msg, res->bad.msg) == 0)
		return;
	if (res->bad.kind != ERR_NONE)
		cmdline_bad(res->bad_value, "%s", res->bad.msg);
}

/* The operands that are the profile's files and directories: the first
 * (unless --system), then each that names an existing file or directory
 * and is no *.case. */
static int count_inputs(char **ops, int nops, bool system)
{
	int n = system ? 0 : 1;
	struct stat st;

	if (nops < n)
		return nops;
	for (; n < nops; n++) {
		size_t len = strlen(ops[n]);

		if ((len > 5 && !strcmp(ops[n] + len - 5, ".case")) || stat(ops[n], &st) < 0 ||
		    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			break;
	}
	return n;
}

int cmd_profile(int argc, char **argv)
{
	struct profile_config cfg = {.parallel = RUN_JOBS_DEFAULT};
	struct profile_result res;
	struct cmdline cl;
	int c, rc, ninputs;

	cmdline_start(&cl, profile_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		const char *v = cl.val;

		switch (c) {
		case 'o':
			if (!*v) /* "" would put DIR/baseline at /baseline */
				return cmdline_bad(v, "-o: an empty directory name");
			cfg.outdir = v;
			break;
		case PROFILE_AGAINST:
			cfg.against = v;
			break;
		case 'j':
			if ((cfg.parallel = (int)cmdline_positive("-j", v, 256)) < 0)
				return EXIT_USAGE;
			break;
		case PROFILE_FAMILY:
			if (strcmp(v, "4") && strcmp(v, "6"))
				return cmdline_bad(v, "--family: '%s' is not 4 or 6", v);
			cfg.family = v[0] - '0';
			break;
		case PROFILE_COLOR:
			if (color_option(cl.arg, v, &cfg.color) != 0)
				return EXIT_USAGE;
			break;
		case PROFILE_SYSTEM:
			cfg.system = true;
			break;
		case PROFILE_ROOT:
			if (!*v)
				return cmdline_bad(v, "--root: an empty directory name");
			cfg.root = v;
			break;
		case PROFILE_STRICT:
			cfg.strict = true;
			break;
		}
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	cfg.color = color_choice(cfg.color);
	if (cl.nops < 1 && !cfg.system)
		return cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                   "profile: expected a sysctl profile FILE or DIR (or --system)");
	if (cfg.root && !cfg.system)
		return cmdline_bad(cfg.root, "--root: only with --system");
	ninputs = count_inputs(argv + 1, cl.nops, cfg.system);
	cfg.inputs = (const char *const *)(argv + 1);
	cfg.ninputs = (size_t)ninputs;
	cfg.names = argv + 1 + ninputs;
	cfg.nnames = cl.nops - ninputs;
	rc = profile_diff(&cfg, &res);
	print_bad(&res.profile, NULL);
	print_bad(&res.baseline, &res.profile);
	if (res.stop.kind != ERR_NONE)
		err_print(&res.stop);
	return rc;
}
