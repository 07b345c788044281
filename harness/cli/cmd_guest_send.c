// SPDX-License-Identifier: GPL-2.0-only
/* cmd_guest_send.c - `tcpconform guest-send DIR`: the frames of DIR on
 * standard output (transport.h), as a VM guest hands its results over. */
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "out/transport.h"

int cmd_guest_send(int argc, char **argv)
{
	struct err e;
	size_t n;

	if (argc != 2)
		return cmdline_bad(argc > 2 ? argv[2] : argv[0],
		                   "usage: tcpconform guest-send DIR");
	if (transport_send_dir(stdout, argv[1], &n, &e) < 0) {
		err_print(&e);
		return err_exit_status(&e) == EXIT_PASS ? EXIT_UNEXPECTED : err_exit_status(&e);
	}
	return EXIT_PASS;
}
