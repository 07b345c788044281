// SPDX-License-Identifier: GPL-2.0-only
/* cmd_guest_send.c - `tcpconform guest-send DIR`: the frames of DIR on
 * standard output (transport.h), as a VM guest hands its results over. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "out/transport.h"

int cmd_guest_send(int argc, char **argv)
{
	struct cmdline cl;
	struct err e;
	size_t n;
	int c;

	cmdline_start(&cl, NULL, NULL, argc, argv);
	if ((c = cmdline_next(&cl)) != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops != 1)
		return cl.nops ? cmdline_bad(argv[2], "guest-send takes one results directory")
		               : cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                             "guest-send needs a results directory");
	if (transport_send_dir(stdout, argv[1], &n, &e) < 0) {
		err_print(&e);
		return err_exit_status(&e) == EXIT_PASS ? EXIT_UNEXPECTED : err_exit_status(&e);
	}
	return EXIT_PASS;
}
