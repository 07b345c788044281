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
#include "host/netns.h"

static bool active, own_netns;

bool userns_active(void)
{
	return active;
}

bool userns_nested(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long inner, outer, count;
	bool initial;

	if (!f)
		return false;
	/* The initial user namespace maps every uid to itself (user_namespaces(7)). */
	initial = fscanf(f, "%lu %lu %lu", &inner, &outer, &count) == 3 && inner == 0 &&
	          outer == 0 && count == 4294967295UL;
	fclose(f);
	return !initial;
}

bool userns_own_netns(void)
{
	return own_netns;
}

/* Root, but perhaps of a user namespace that does not own this network
 * namespace (a rootless container): the harness could leave it for a test
 * namespace and never come back (setns needs CAP_SYS_ADMIN over the
 * namespace's owner).  Then a network namespace of its own, as in the
 * rootless mode.  Root of the initial namespace without CAP_SYS_ADMIN
 * gets none either: envcheck_caps() names what it lacks. */
static void root_netns(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (setns(fd, CLONE_NEWNET) < 0 && errno == EPERM && unshare(CLONE_NEWNET) == 0) {
		own_netns = true;
		netns_rehome();
	}
	close(fd);
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

	if (uid == 0) {
		root_netns();
		return 0;
	}
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
	netns_rehome();
	return 1;
}
