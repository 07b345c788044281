// SPDX-License-Identifier: GPL-2.0-only
/* userns.c - rootless mode: a user namespace of the harness's own. */
#include "host/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/envcheck.h"

static bool active;

bool userns_active(void)
{
	return active;
}

static int write_file(const char *path, const char *text, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return err_sys(e, "open %s", path);
	n = write(fd, text, strlen(text));
	if (n < 0) {
		err_sys(e, "write %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int userns_enter(struct err *e)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (uid == 0)
		return 0;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		int saved = errno;
		char why[400];

		envcheck_userns_why(saved, why, sizeof(why));
		err_set(e, ERR_ENV,
		        "not root, and the kernel refuses the rootless mode its user namespace "
		        "(unshare(CLONE_NEWUSER): %s (%s)): %s; run as root",
		        strerror(saved), err_errno_name(saved), why);
		e->errnum = saved;
		return -1;
	}
	/* One mapping: the user is root inside (user_namespaces(7)). */
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map, e) < 0)
		return -1;
	if (write_file("/proc/self/setgroups", "deny\n", e) < 0 && e->errnum != ENOENT)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map, e) < 0)
		return -1;
	active = true;
	return 1;
}
