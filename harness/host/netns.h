/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netns.h - anonymous network namespaces held by file descriptors.
 *
 * A namespace made here is never named (no /run/netns entry): it lives for
 * as long as a descriptor or a socket refers to it, so it goes away with the
 * process that holds it, whatever way that process ends.  Switching is per
 * thread (setns(2) changes the calling thread only).
 */
#ifndef TC_NETNS_H
#define TC_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"

/* Create a new network namespace; returns its fd (O_CLOEXEC). The calling
 * thread stays in the namespace it was in. */
int netns_create(struct err *e);

/* Move the calling thread into @nsfd; *saved receives an fd of the namespace
 * it left, for netns_restore(). */
int netns_switch(int nsfd, int *saved, struct err *e);
/* Go back to the namespace saved by netns_switch() and close @saved. */
void netns_restore(int saved);

/* socket(2) in namespace @nsfd, O_CLOEXEC. */
int netns_socket(int nsfd, int domain, int type, int protocol, struct err *e);
/* A netlink socket of @protocol in @nsfd, bound (the kernel picks the port):
 * for nl_socket_set_fd(), so that a failure keeps its errno, which
 * nl_connect() folds into "Unspecific failure". */
int netns_netlink(int nsfd, int protocol, struct err *e);
/* open(2) while in namespace @nsfd (for /proc/sys/net and /proc/thread-self/net). */
int netns_open(int nsfd, const char *path, int flags, struct err *e);
/* The whole text of @path as opened in namespace @nsfd, NUL-terminated, in a
 * buffer the caller frees; a file of @max - 1 bytes or more is an error (read
 * whole or not at all: a value cut off would read as one the kernel lacks). */
char *netns_read(int nsfd, const char *path, size_t max, struct err *e);

/* Inode number of the namespace @nsfd refers to. */
ino_t netns_inode(int nsfd);
/* True when @nsfd is the namespace the process started in (the host's, or the
 * one it was given), or the one netns_rehome() recorded: the harness refuses
 * to configure it. */
bool netns_is_home(int nsfd);
/* The namespace the process is in now is home too: the one of its own that
 * the rootless mode, or root of a user namespace, moved into (userns.c). */
void netns_rehome(void);

#endif
