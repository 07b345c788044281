/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctl.h - per-namespace sysctl write and read-back.
 *
 * Keys are written the way sysctl(8) takes them: "net.ipv4.tcp_tw_reuse" or
 * "net/ipv4/tcp_tw_reuse".  Only net.* keys are accepted: those are the ones
 * a network namespace has its own copy of; anything else would reach the
 * host.  /proc/sys/net shows the namespace of the calling thread, so every
 * access is done from inside the target namespace.  The keys themselves
 * (their forms, paths, and the ones that reach the host) are
 * model/sysctl_key.h's.
 */
#ifndef TC_SYSCTL_H
#define TC_SYSCTL_H

#include <stddef.h>

#include "base/error.h"
#include "model/sysctl_key.h"

enum sysctl_result {
	SYSCTL_OK = 0,
	SYSCTL_ABSENT = 1, /* the key does not exist in that namespace on this kernel */
};

/* Read @key in namespace @nsfd into @val (whitespace runs folded to one
 * space, no trailing newline).  Returns SYSCTL_OK, SYSCTL_ABSENT or -1. */
int sysctl_read(int nsfd, const char *key, char *val, size_t len, struct err *e);
/* The same in the namespace this thread is in (many keys after one
 * netns_switch(): a switch per key costs two setns() each). */
int sysctl_read_here(const char *key, char *val, size_t len, struct err *e);
/* Write @value; a value the kernel rejects is ERR_INPUT naming key and value. */
int sysctl_write(int nsfd, const char *key, const char *value, struct err *e);
/* Write, read back and compare (numerically where both are numbers).  The
 * value read back is left in @readback.  A kernel that stores something else
 * than was written is an error naming both. */
int sysctl_set(int nsfd, const char *key, const char *value, char *readback, size_t len,
               struct err *e);

/* The keys glob pattern @pattern (dotted, sysctl_normalize()d) matches in
 * namespace @nsfd (-1: the harness's own), dotted, sorted, into *@keys
 * (*@n of them; free with sysctl_glob_free()).  No match is 0 keys. */
int sysctl_glob(int nsfd, const char *pattern, char ***keys, size_t *n, struct err *e);
void sysctl_glob_free(char **keys, size_t n);

/* Hand the host's tcp_allowed_congestion_control to model/sysctl_key.c
 * (sysctl_host_effect() judges tcp_congestion_control values by it).  Called
 * before a case or profile is parsed (cli/main.c) and by every check that
 * writes (sysctl_write(), profile.c), so a list that changed is seen. */
void sysctl_learn_host(void);

#endif
