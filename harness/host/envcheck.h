/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * envcheck.h - why the environment refuses what the harness needs, named:
 * a chroot, a missing capability, a sysctl and its value.
 *
 * The harness needs, as root, CAP_SYS_ADMIN (network and mount
 * namespaces), CAP_NET_ADMIN (veth links, addresses, routes) and
 * CAP_NET_RAW (the wire's packet sockets); not root, a user namespace of
 * its own (userns.h), which the kernel refuses in a chroot
 * (kernel/user_namespace.c create_user_ns(): current_chrooted()), beyond
 * user.max_user_namespaces (ENOSPC, a limit each user namespace has for
 * its children: kernel/ucount.c), for Debian's
 * kernel.unprivileged_userns_clone=0, and when a seccomp filter or an LSM
 * says no.  These functions tell which.
 */
#ifndef TC_ENVCHECK_H
#define TC_ENVCHECK_H

#include <stddef.h>

#include "base/error.h"

enum envcheck_answer {
	ENVCHECK_UNKNOWN = -1, /* cannot tell: @how says why */
	ENVCHECK_NO = 0,
	ENVCHECK_YES = 1,
};

/*
 * Whether this process runs in a chroot: its root directory is not the
 * root of its mount namespace.  Told from mountinfo, which every process
 * may read (/proc/1/root, which systemd-detect-virt --chroot compares with
 * /, needs ptrace access to pid 1: never the rootless harness's):
 *  - no mount at "/" in /proc/self/mountinfo: the root is a directory
 *    inside a file system, never a namespace's root: a chroot;
 *  - pid 1 in the same mount namespace (its mountinfo lists a mount of
 *    ours: a mount belongs to one namespace) with another mount at "/":
 *    a chroot into a mount point;
 *  - pid 1 in another mount namespace: unknown.
 * @how gets the evidence (or why it cannot tell).
 */
enum envcheck_answer envcheck_chroot(char *how, size_t len);

/* Those of CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN missing from this
 * process's effective set (capget), as "CAP_NET_ADMIN and CAP_SYS_ADMIN"
 * into @out ("" when none).  Returns how many, or -1 when capget fails. */
int envcheck_missing_caps(char *out, size_t len);

/* 0, or -1 (ERR_ENV) naming the capabilities the harness lacks. */
int envcheck_caps(struct err *e);

/* Why unshare(CLONE_NEWUSER) failed with @errnum, into @out: the causes
 * found (a chroot, the sysctls with their values, a seccomp filter), or
 * the candidates when none is certain. */
void envcheck_userns_why(int errnum, char *out, size_t len);

/* The integer value of the sysctl @name ("user.max_user_namespaces") as
 * this process sees it: 0, or -1 when it is absent or unreadable. */
int envcheck_sysctl(const char *name, long *value);

#endif
