// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_profile.c - `tcpconform profile FILE [--against FILE2] [CASE...]
 * [OPTIONS]`: the options into a struct profile_config for profile_diff()
 * (profile_diff.h), and the errors it leaves printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "run/profile_diff.h"

static void print_bad(const struct run_result *res)
{
	if (res->bad.kind != ERR_NONE)
		cmdline_bad(res->bad_value, "%s", res->bad.msg);
}

int cmd_profile(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"against", required_argument, NULL, 'a'}, {"jobs", required_argument, NULL, 'j'},
	    {"output", required_argument, NULL, 'o'},  {"family", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct profile_config cfg = {.parallel = 16};
	struct profile_result res;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg) /* "" would put DIR/baseline at /baseline */
				return cmdline_bad(optarg, "-o: an empty directory name");
			cfg.outdir = optarg;
			break;
		case 'a':
			cfg.against = optarg;
			break;
		case 'j':
			if ((cfg.parallel = (int)cmdline_positive("-j", optarg, 256)) < 0)
				return EXIT_USAGE;
			break;
		case 'f':
			if (strcmp(optarg, "4") && strcmp(optarg, "6"))
				return cmdline_bad(optarg, "--family: '%s' is not 4 or 6", optarg);
			cfg.family = optarg[0] - '0';
			break;
		case 'h':
			printf("usage: tcpconform profile FILE [--against FILE2] [CASE...] [-j N] "
			       "[-o DIR] [--family 4|6]\n");
			return EXIT_PASS;
		default:
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                   "profile: expected a sysctl profile FILE");
	cfg.file = argv[optind];
	cfg.names = argv + optind + 1;
	cfg.nnames = argc - optind - 1;
	rc = profile_diff(&cfg, &res);
	print_bad(&res.profile);
	print_bad(&res.baseline);
	if (res.stop.kind != ERR_NONE)
		err_print(&res.stop);
	return rc;
}
