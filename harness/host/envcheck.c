// SPDX-License-Identifier: GPL-2.0-only
/* envcheck.c - why the environment refuses: a chroot, a capability, a sysctl. */
#include "host/envcheck.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/array.h"

/* The mounts of one mountinfo file: their IDs, and the one at "/". */
struct mountinfo {
	unsigned long *ids;
	size_t n, cap;
	unsigned long root; /* the topmost mount at "/"; 0 when none */
};

/* 0, or -1 with errno set (unreadable, or out of memory). */
static int mountinfo_read(const char *path, struct mountinfo *mi)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t llen = 0;
	int r = 0;

	memset(mi, 0, sizeof(*mi));
	if (!f)
		return -1;
	while (getline(&line, &llen, f) > 0) {
		unsigned long id, parent;
		char point[8];

		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ..." (proc(5)) */
		if (sscanf(line, "%lu %lu %*s %*s %7s", &id, &parent, point) != 3)
			continue;
		if (ARRAY_RESERVE(&mi->ids, &mi->cap, mi->n + 1, 64)) {
			r = -1;
			break;
		}
		mi->ids[mi->n++] = id;
		/* Mounted later is listed later: the last one at "/" is on top. */
		if (!strcmp(point, "/"))
			mi->root = id;
	}
	free(line);
	fclose(f);
	return r;
}

static bool mountinfo_shares(const struct mountinfo *a, const struct mountinfo *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < b->n; k++)
			if (a->ids[i] == b->ids[k])
				return true;
	return false;
}

enum envcheck_answer envcheck_chroot(char *how, size_t len)
{
	struct mountinfo self, init;
	enum envcheck_answer r;

	if (getpid() == 1) {
		snprintf(how, len, "this process is pid 1");
		return ENVCHECK_NO;
	}
	if (mountinfo_read("/proc/self/mountinfo", &self) < 0) {
		snprintf(how, len, "/proc/self/mountinfo cannot be read (%s)", strerror(errno));
		free(self.ids);
		return ENVCHECK_UNKNOWN;
	}
	if (!self.root) {
		/* A namespace's root is always a mount's root; mountinfo shows
		 * the mounts as seen from this process's root. */
		snprintf(how, len,
		         "no mount is at / in /proc/self/mountinfo: the root is a directory, "
		         "not the mount namespace's root");
		free(self.ids);
		return ENVCHECK_YES;
	}
	if (mountinfo_read("/proc/1/mountinfo", &init) < 0) {
		snprintf(how, len, "/proc/1/mountinfo cannot be read (%s)", strerror(errno));
		r = ENVCHECK_UNKNOWN;
	} else if (!mountinfo_shares(&self, &init)) {
		snprintf(how, len,
		         "pid 1 is in another mount namespace, and / is a mount point here");
		r = ENVCHECK_UNKNOWN;
	} else if (init.root != self.root) {
		snprintf(how, len,
		         "/ is mount %lu here and mount %lu for pid 1, in the same mount namespace "
		         "(/proc/self/mountinfo, /proc/1/mountinfo)",
		         self.root, init.root);
		r = ENVCHECK_YES;
	} else {
		snprintf(how, len, "/ is mount %lu here as for pid 1", self.root);
		r = ENVCHECK_NO;
	}
	free(self.ids);
	free(init.ids);
	return r;
}

static const struct {
	int cap;
	const char *name;
} needed[] = {
    {CAP_NET_ADMIN, "CAP_NET_ADMIN"},
    {CAP_NET_RAW, "CAP_NET_RAW"},
    {CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
};

int envcheck_missing_caps(char *out, size_t len)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	const char *names[3];
	int n = 0;

	out[0] = '\0';
	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!(d[needed[i].cap / 32].effective & (1u << (needed[i].cap % 32))))
			names[n++] = needed[i].name;
	if (n == 1)
		snprintf(out, len, "%s", names[0]);
	else if (n == 2)
		snprintf(out, len, "%s and %s", names[0], names[1]);
	else if (n == 3)
		snprintf(out, len, "%s, %s and %s", names[0], names[1], names[2]);
	return n;
}

int envcheck_caps(struct err *e)
{
	char missing[80];
	int n = envcheck_missing_caps(missing, sizeof(missing));

	if (n < 0)
		return err_sys(e, "capget");
	if (n == 0)
		return 0;
	return err_set(e, ERR_ENV,
	               "this process lacks %s (not in its effective capability set: capget): "
	               "the harness needs CAP_SYS_ADMIN for network namespaces, CAP_NET_ADMIN "
	               "for their links and CAP_NET_RAW for the wire's packet sockets; run it as "
	               "root with them (a container: --cap-add NET_ADMIN --cap-add SYS_ADMIN)",
	               missing);
}

int envcheck_sysctl(const char *name, long *value)
{
	char path[128], *p, *end;
	char buf[32];
	FILE *f;
	int r = -1;

	if (snprintf(path, sizeof(path), "/proc/sys/%s", name) >= (int)sizeof(path))
		return -1;
	for (p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		errno = 0;
		*value = strtol(buf, &end, 10);
		if (errno == 0 && end != buf)
			r = 0;
	}
	fclose(f);
	return r;
}

/* How many seccomp filters this process runs under (/proc/self/status
 * Seccomp_filters, or 1 for "Seccomp: 2" on kernels without that line). */
static long seccomp_filters(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	long mode = 0, filters = -1;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Seccomp: %ld", &mode) == 1)
			continue;
		if (sscanf(line, "Seccomp_filters: %ld", &filters) == 1)
			continue;
	}
	fclose(f);
	if (mode != 2)
		return 0;
	return filters > 0 ? filters : 1;
}

/* Append "; " and the text to @out. */
static void add(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *out, size_t len, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n && n + 2 < len) {
		memcpy(out + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, len - n, fmt, ap);
	va_end(ap);
}

void envcheck_userns_why(int errnum, char *out, size_t len)
{
	char how[256];
	long v;
	enum envcheck_answer chroot;
	long filters;

	out[0] = '\0';
	switch (errnum) {
	case ENOSPC:
		if (envcheck_sysctl("user.max_user_namespaces", &v) == 0 && v == 0)
			add(out, len,
			    "user.max_user_namespaces is 0 here: user namespaces are disabled");
		else if (envcheck_sysctl("user.max_user_namespaces", &v) == 0)
			add(out, len,
			    "user.max_user_namespaces is %ld here and this user has that many, or "
			    "an enclosing user namespace's limit is lower, or they are nested 32 "
			    "deep",
			    v);
		else
			add(out, len, "the limit of user namespaces is reached");
		return;
	case EINVAL:
		add(out, len, "this kernel has no user namespaces (CONFIG_USER_NS)");
		return;
	case EUSERS:
		add(out, len, "user namespaces are nested too deep");
		return;
	case EPERM:
	case EACCES:
		break;
	default:
		add(out, len, "%s", strerror(errnum));
		return;
	}
	/* EPERM: the kernel says no without a reason.  Name every cause
	 * found; the candidates when none is. */
	chroot = envcheck_chroot(how, sizeof(how));
	if (chroot == ENVCHECK_YES)
		add(out, len,
		    "running in a chroot (%s), where the kernel refuses user namespaces "
		    "(create_user_ns(): current_chrooted())",
		    how);
	if (envcheck_sysctl("kernel.unprivileged_userns_clone", &v) == 0 && v == 0)
		add(out, len, "kernel.unprivileged_userns_clone is 0");
	if (envcheck_sysctl("kernel.apparmor_restrict_unprivileged_userns", &v) == 0 && v != 0)
		add(out, len, "kernel.apparmor_restrict_unprivileged_userns is %ld", v);
	filters = seccomp_filters();
	if (out[0])
		return;
	if (filters > 0)
		add(out, len,
		    "this process runs under %ld seccomp filter(s) (/proc/self/status), as in a "
		    "container whose profile refuses unshare(CLONE_NEWUSER)",
		    filters);
	if (chroot == ENVCHECK_UNKNOWN)
		add(out, len, "perhaps a chroot (cannot tell: %s)", how);
	if (!out[0])
		add(out, len,
		    "no chroot, sysctl or seccomp filter says no here: an LSM (SELinux, "
		    "AppArmor) refuses it");
}
