// SPDX-License-Identifier: GPL-2.0-only
/* cmd_report.c - `tcpconform report DIR... [-o FILE]`: the directories and
 * the page's name for report_write_matrix() (report.h). */
#include <getopt.h>
#include <stddef.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "out/report.h"

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = "results/matrix.html";
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o')
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		out = optarg;
	}
	if (argc - optind < 1)
		return cmdline_bad(argv[argc - 1], "report needs one or more result directories");
	return report_write_matrix(out, (const char *const *)argv + optind, argc - optind);
}
