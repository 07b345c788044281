// SPDX-License-Identifier: GPL-2.0-only
/* cmd_diff.c - `tcpconform diff DIR_A DIR_B`: two directories for diff_dirs()
 * (diff.h). */
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "out/diff.h"

int cmd_diff(int argc, char **argv)
{
	struct cmdline cl;
	int c;

	cmdline_start(&cl, NULL, NULL, argc, argv);
	if ((c = cmdline_next(&cl)) != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops != 2)
		return cl.nops < 2 ? cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                                 "diff needs two result directories")
		                   : cmdline_bad(argv[3], "diff takes two result directories");
	return diff_dirs(argv[1], argv[2]);
}
