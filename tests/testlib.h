/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * testlib.h - what the cmocka tests share: privilege checks, independent
 * observers (iproute2 run inside a namespace, /proc scans) and counts of
 * namespaces and veth links for the leak tests.
 */
#ifndef TC_TESTLIB_H
#define TC_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first. */
#include <cmocka.h>

/* Skip the calling test (with a message) unless it may create namespaces. */
#define REQUIRE_NETNS()                                                                            \
	do {                                                                                       \
		if (!tl_can_netns()) {                                                             \
			print_message("skipped: %s\n", tl_netns_reason());                         \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

bool tl_can_netns(void);
const char *tl_netns_reason(void);

/* Distinct network namespaces that any process refers to: through
 * /proc/PID/ns/net, /proc/PID/task/TID/ns/net or an open fd. */
int tl_count_netns(void);
/* veth links in the test's own (host) namespace. */
int tl_count_host_veth(void);
/* Wait up to @ms for tl_count_netns() to fall to @target; returns the last count. */
int tl_wait_netns_count(int target, int ms);

/* Run argv inside namespace fd @nsfd of this process through
 * `nsenter --net=/proc/PID/fd/FD`, capture stdout into a malloc'd string.
 * Returns the exit status (or -1); *out is always set (free it). */
int tl_nsenter(int nsfd, const char *const argv[], char **out);
/* The host's congestion control state (allowed, available, default), as
 * one string: what no case or profile may ever change. */
void tl_host_cc(char *out, size_t len);

/* True in a user namespace other than the initial one (a rootless
 * container): /proc/self/uid_map is not the whole identity. */
bool tl_userns_nested(void);

/* True when a run here gets kernel tracepoints: root of the initial user
 * namespace (the harness skips them in any other, cli/main.c) and the
 * harness's own tracer_start() succeeds, in a child so this process's
 * mounts stay as they are.  Otherwise false, why in @why (@len bytes). */
bool tl_tracepoints(char *why, size_t len);

/* True when @cmd is on PATH. */
bool tl_have(const char *cmd);

/* Run a shell command (printf-style), stdout and stderr captured into a
 * malloc'd string *out (always set: free it).  Returns the exit status, or
 * -1 when it could not run or died of a signal. */
int tl_sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A fresh directory /tmp/tcpconform-TAG-XXXXXX for a test's files, its name
 * in @dir (@len bytes); 0, or -1 when it could not be made. */
int tl_tmpdir(char *dir, size_t len, const char *tag);

/* Remove the tree at @dir (rm -rf); 0 when it is gone. */
int tl_rmtree(const char *dir);

#endif
