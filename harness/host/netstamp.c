// SPDX-License-Identifier: GPL-2.0-only
/* netstamp.c - the kernel's receive timestamps held on for a whole run. */
#include "host/netstamp.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int netstamp_hold(struct err *e)
{
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return err_sys(e, "a socket to hold receive timestamps on");
	/* sock_enable_timestamp() -> net_enable_timestamp() (net/core/sock.c) */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return err_sys(e, "SO_TIMESTAMPNS");
	}
	return fd;
}
