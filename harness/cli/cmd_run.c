// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_run.c - `tcpconform run [CASE...] [OPTIONS]`: the options into a
 * struct run_config, then one run (runner.h) or --repeat N of them
 * (repeat.h).  Its option table is also vm's (the run in the guest).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "host/profile.h"
#include "run/repeat.h"
#include "run/runner.h"

enum {
	RUN_FAMILY = 256,
	RUN_SYSCTL,
	RUN_REPEAT,
	RUN_KCONFIG,
	RUN_IN_ORDER,
	RUN_VARIANT,
	RUN_COLOR,
	RUN_SLIP_LIMIT,
	RUN_RERUN_SLIPPED,
};

const struct opt run_opts[] = {
    {'j', 'j', "jobs", "N", "variants at once, 1 to 256", "24", 0},
    {'o', 'o', "output", "DIR", "the results directory", "results/RUN-ID, and results/latest",
     OPT_HOST_ONLY},
    {RUN_SLIP_LIMIT, 0, "slip-limit", "MS",
     "start no variant while the harness's own timers wake more than MS late (as make -l "
     "holds jobs under load), keeping at least 2 at once, and start the others 50 ms "
     "apart; 0: no limit",
     "0; 100 in a guest of vm", 0},
    {RUN_RERUN_SLIPPED, 0, "rerun-slipped", "MS",
     "a variant that failed or erred while the harness's own timers woke more than MS late "
     "runs again, alone, after the others (twice at most, 24 variants at most): its verdict "
     "is the last run's, every run is kept and reported; 0: never",
     "20", 0},
    {RUN_FAMILY, 0, "family", "4|6", "IPv4 or IPv6 variants only", "both, as each case says", 0},
    {RUN_SYSCTL, 0, "sysctl", "FILE", "apply a sysctl profile in both endpoints", NULL, 0},
    {RUN_REPEAT, 0, "repeat", "N", "N runs in a row, 1 to 1000, and the verdicts that changed", "1",
     OPT_HOST_ONLY},
    {RUN_KCONFIG, 0, "kernel-config", "FILE", "the kernel's .config: skip the cases it cannot run",
     NULL, OPT_HOST_ONLY},
    {RUN_IN_ORDER, 0, "in-order", NULL, "start the cases in the order named", "slowest first", 0},
    {RUN_VARIANT, 0, "variant", "GLOB", "only the variants whose name matches", "all", 0},
    {RUN_COLOR, 0, "color", "WHEN",
     "colour the verdicts: auto (on a terminal, unless NO_COLOR is set), always (also "
     "bare --color) or never",
     "auto", OPT_OPTIONAL},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

void run_args_init(struct run_args *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->cfg.parallel = RUN_JOBS_DEFAULT;
	ra->cfg.rerun_slip_ms = RUN_RERUN_SLIP_DEFAULT;
	ra->repeat = 1;
}

int color_option(const char *arg, const char *val, enum run_color *c)
{
	if (!val || !strcmp(val, "always"))
		*c = RUN_COLOR_ALWAYS;
	else if (!strcmp(val, "never"))
		*c = RUN_COLOR_NEVER;
	else if (!strcmp(val, "auto"))
		*c = RUN_COLOR_AUTO;
	else
		return cmdline_bad(val, "%.*s: '%s' is not auto, always or never",
		                   (int)strcspn(arg, "="), arg, val);
	return 0;
}

enum run_color color_choice(enum run_color requested)
{
	const char *no = getenv("NO_COLOR"); /* https://no-color.org */

	if (requested == RUN_COLOR_AUTO && no && *no)
		return RUN_COLOR_NEVER;
	return requested;
}

/* A timer slip in ms, 0 to 10000 (--slip-limit, --rerun-slipped). */
static int slip_ms_option(const char *name, const char *v, double *out)
{
	long ms = cmdline_number(name, v, 0, 10000);

	if (ms < 0)
		return EXIT_USAGE;
	*out = (double)ms;
	return 0;
}

int run_option(const struct cmdline *cl, struct run_args *ra)
{
	struct run_config *cfg = &ra->cfg;
	const char *v = cl->val;

	switch (cl->o->id) {
	case 'j':
		if ((cfg->parallel = (int)cmdline_positive("-j", v, 256)) < 0)
			return EXIT_USAGE;
		break;
	case 'o':
		cfg->outdir = v;
		break;
	case RUN_FAMILY:
		if (strcmp(v, "4") && strcmp(v, "6"))
			return cmdline_bad(v, "--family: '%s' is not 4 or 6", v);
		cfg->family = v[0] - '0';
		break;
	case RUN_SYSCTL:
		ra->profile_path = v;
		break;
	case RUN_REPEAT:
		if ((ra->repeat = cmdline_positive("--repeat", v, 1000)) < 0)
			return EXIT_USAGE;
		break;
	case RUN_KCONFIG:
		cfg->kconfig = v;
		break;
	case RUN_IN_ORDER:
		cfg->in_order = true;
		break;
	case RUN_VARIANT:
		cfg->variant = v;
		break;
	case RUN_COLOR:
		return color_option(cl->arg, v, &cfg->color);
	case RUN_SLIP_LIMIT:
		return slip_ms_option("--slip-limit", v, &cfg->slip_limit_ms);
	case RUN_RERUN_SLIPPED:
		return slip_ms_option("--rerun-slipped", v, &cfg->rerun_slip_ms);
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_args ra;
	struct run_config *cfg = &ra.cfg;
	struct run_result res;
	struct profile pr = {0};
	struct cmdline cl;
	struct err e;
	int c, rc;

	run_args_init(&ra);
	cmdline_start(&cl, run_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0)
		if (run_option(&cl, &ra) != 0)
			return EXIT_USAGE;
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	cfg->color = color_choice(cfg->color);
	if (ra.repeat > 1 && cfg->outdir)
		return cmdline_bad(cfg->outdir, "-o and --repeat: each repeat writes its own run "
		                                "under results/");
	cfg->names = argv + 1;
	cfg->nnames = cl.nops;
	if (ra.profile_path) {
		/* Every line is checked by the kernel before anything runs; a
		 * run applies a profile strictly (`tcpconform profile` takes
		 * whole real files and lists what it cannot apply). */
		if (profile_load(ra.profile_path, &pr, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return err_exit_status(&e);
		}
		pr.strict = true;
		if (profile_check(&pr, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			profile_free(&pr);
			return err_exit_status(&e);
		}
		profile_print_unapplied(&pr, stderr);
		cfg->profile = &pr;
	}
	if (ra.repeat > 1)
		rc = repeat_run(cfg, (int)ra.repeat, &res);
	else
		rc = runner_run(cfg, &res);
	if (res.bad.kind != ERR_NONE)
		cmdline_bad(res.bad_value, "%s", res.bad.msg);
	if (ra.profile_path)
		profile_free(&pr);
	return rc;
}
