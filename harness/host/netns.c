// SPDX-License-Identifier: GPL-2.0-only
/* netns.c - create, enter and leave anonymous network namespaces. */
#include "host/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/envcheck.h"

#define SELF_NS "/proc/thread-self/ns/net"

static dev_t home_dev, own_dev;
static ino_t home_ino, own_ino;

/* Record the namespace the process starts in, before anything can move it. */
__attribute__((constructor)) static void netns_record_home(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) == 0) {
		home_dev = st.st_dev;
		home_ino = st.st_ino;
	}
}

int netns_switch(int nsfd, int *saved, struct err *e)
{
	int cur = open(SELF_NS, O_RDONLY | O_CLOEXEC);

	if (cur < 0)
		return err_sys(e, "open %s", SELF_NS);
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		err_sys(e, "setns");
		close(cur);
		return -1;
	}
	*saved = cur;
	return 0;
}

void netns_restore(int saved)
{
	/* Cannot fail for a namespace we were just in, with the rights we had;
	 * if it ever does, going on in the wrong namespace would be worse. */
	if (setns(saved, CLONE_NEWNET) < 0) {
		static const char msg[] = "tcpconform: cannot return to the saved namespace\n";
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		}
		abort();
	}
	close(saved);
}

/* Root refused a network namespace: a capability missing (named), or
 * something else saying no. */
static void why_refused(struct err *e)
{
	char missing[80];

	if (envcheck_missing_caps(missing, sizeof(missing)) > 0)
		err_wrap(e, "network namespaces need CAP_SYS_ADMIN; this process lacks %s (capget)",
		         missing);
	else
		err_wrap(e, "network namespaces are refused to this process, which has "
		            "CAP_SYS_ADMIN (a seccomp filter or an LSM)");
}

int netns_create(struct err *e)
{
	int cur, fd;

	cur = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (cur < 0)
		return err_sys(e, "open %s", SELF_NS);
	if (unshare(CLONE_NEWNET) < 0) {
		err_sys(e, "unshare(CLONE_NEWNET)");
		/* Root in the rootless mode too (uid 0 in its user namespace). */
		if (e->kind == ERR_ENV && geteuid() != 0)
			err_wrap(e, "network namespaces need root (CAP_SYS_ADMIN)");
		else if (e->kind == ERR_ENV)
			why_refused(e);
		close(cur);
		return -1;
	}
	fd = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err_sys(e, "open %s", SELF_NS);
	netns_restore(cur);
	return fd;
}

int netns_socket(int nsfd, int domain, int type, int protocol, struct err *e)
{
	int saved, fd;

	if (netns_switch(nsfd, &saved, e) < 0)
		return -1;
	fd = socket(domain, type | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		err_sys(e, "socket");
	netns_restore(saved);
	return fd;
}

int netns_netlink(int nsfd, int protocol, struct err *e)
{
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	int fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW, protocol, e);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		err_sys(e, "netlink: bind");
		close(fd);
		return -1;
	}
	return fd;
}

int netns_open(int nsfd, const char *path, int flags, struct err *e)
{
	int saved, fd;

	if (netns_switch(nsfd, &saved, e) < 0)
		return -1;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		err_sys(e, "open %s", path);
	netns_restore(saved);
	return fd;
}

char *netns_read(int nsfd, const char *path, size_t max, struct err *e)
{
	char *buf = malloc(max);
	size_t total = 0;
	ssize_t n;
	int fd;

	if (!buf) {
		errno = ENOMEM;
		err_sys(e, "reading %s", path);
		return NULL;
	}
	fd = netns_open(nsfd, path, O_RDONLY, e);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + total, max - 1 - total)) > 0)
		total += (size_t)n;
	if (n < 0)
		err_sys(e, "read %s", path);
	else if (total == max - 1)
		err_set(e, ERR_SYSTEM, "%s is larger than %zu bytes", path, max - 2);
	close(fd);
	if (n < 0 || total == max - 1) {
		free(buf);
		return NULL;
	}
	buf[total] = '\0';
	return buf;
}

ino_t netns_inode(int nsfd)
{
	struct stat st;

	if (fstat(nsfd, &st) < 0)
		return 0;
	return st.st_ino;
}

bool netns_is_home(int nsfd)
{
	struct stat st;

	if (fstat(nsfd, &st) < 0)
		return false;
	return (st.st_dev == home_dev && st.st_ino == home_ino) ||
	       (st.st_dev == own_dev && st.st_ino == own_ino);
}

void netns_rehome(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) == 0) {
		own_dev = st.st_dev;
		own_ino = st.st_ino;
	}
}
