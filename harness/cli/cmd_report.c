// SPDX-License-Identifier: GPL-2.0-only
/* cmd_report.c - `tcpconform report DIR... [-o FILE]`: the directories and
 * the page's name for report_write_matrix() (report.h). */
#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "out/report.h"

const struct opt report_opts[] = {
    {'o', 'o', "output", "FILE", "the HTML page to write", "results/matrix.html", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

int cmd_report(int argc, char **argv)
{
	const char *out = "results/matrix.html";
	struct cmdline cl;
	int c;

	cmdline_start(&cl, report_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0)
		out = cl.val;
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops < 1)
		return cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                   "report needs one or more result directories");
	return report_write_matrix(out, (const char *const *)argv + 1, cl.nops);
}
