// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_run.c - `tcpconform run [CASE...] [OPTIONS]`: the options into a
 * struct run_config, then one run (runner.h) or --repeat N of them
 * (repeat.h).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "host/profile.h"
#include "run/repeat.h"
#include "run/runner.h"

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"jobs", required_argument, NULL, 'j'},
	    {"output", required_argument, NULL, 'o'},
	    {"family", required_argument, NULL, 'f'},
	    {"sysctl", required_argument, NULL, 's'},
	    {"repeat", required_argument, NULL, 'r'},
	    {"kernel-config", required_argument, NULL, 'k'},
	    {"in-order", no_argument, NULL, 'I'},
	    {"variant", required_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct run_config cfg = {.parallel = 16};
	struct run_result res;
	struct profile pr = {0};
	const char *profile_path = NULL;
	long repeat = 1;
	struct err e;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if ((cfg.parallel = (int)cmdline_positive("-j", optarg, 256)) < 0)
				return EXIT_USAGE;
			break;
		case 'o':
			cfg.outdir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "4") == 0)
				cfg.family = 4;
			else if (strcmp(optarg, "6") == 0)
				cfg.family = 6;
			else
				return cmdline_bad(optarg, "--family: '%s' is not 4 or 6", optarg);
			break;
		case 's':
			profile_path = optarg;
			break;
		case 'r':
			if ((repeat = cmdline_positive("--repeat", optarg, 1000)) < 0)
				return EXIT_USAGE;
			break;
		case 'k':
			cfg.kconfig = optarg;
			break;
		case 'I':
			cfg.in_order = true;
			break;
		case 'V':
			cfg.variant = optarg;
			break;
		case 'h':
			printf("usage: tcpconform run [CASE...] [-j N] [-o DIR] [--family 4|6] "
			       "[--sysctl FILE] [--repeat N] [--kernel-config FILE] [--in-order] "
			       "[--variant GLOB]\n");
			return EXIT_PASS;
		default:
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (repeat > 1 && cfg.outdir)
		return cmdline_bad(cfg.outdir, "-o and --repeat: each repeat writes its own run "
		                               "under results/");
	cfg.names = argv + optind;
	cfg.nnames = argc - optind;
	if (profile_path) {
		/* Every line is checked by the kernel before anything runs. */
		if (profile_load(profile_path, &pr, &e) < 0 || profile_check(&pr, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			profile_free(&pr);
			return err_exit_status(&e);
		}
		profile_print_skipped(&pr, stderr);
		cfg.profile = &pr;
	}
	if (repeat > 1)
		rc = repeat_run(&cfg, (int)repeat, &res);
	else
		rc = runner_run(&cfg, &res);
	if (res.bad.kind != ERR_NONE)
		cmdline_bad(res.bad_value, "%s", res.bad.msg);
	if (profile_path)
		profile_free(&pr);
	return rc;
}
