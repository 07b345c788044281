/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctl.h - per-namespace sysctl write and read-back.
 *
 * Keys are written the way sysctl(8) takes them: "net.ipv4.tcp_tw_reuse" or
 * "net/ipv4/tcp_tw_reuse".  Only net.* keys are accepted: those are the ones
 * a network namespace has its own copy of; anything else would reach the
 * host.  /proc/sys/net shows the namespace of the calling thread, so every
 * access is done from inside the target namespace.
 */
#ifndef TC_SYSCTL_H
#define TC_SYSCTL_H

#include <stddef.h>

#include "base/error.h"

enum sysctl_result {
	SYSCTL_OK = 0,
	SYSCTL_ABSENT = 1, /* the key does not exist in that namespace on this kernel */
};

#define SYSCTL_VALUE_MAX 256

/* Map @key to its /proc/sys path (sysctl(8) rules: the first separator
 * decides whether '.' or '/' separates).  ERR_INPUT for a malformed key or
 * one outside net.*. */
int sysctl_path(const char *key, char *path, size_t len, struct err *e);
/* The dotted form sysctl(8) prints ("net.ipv4.tcp_tw_reuse"). */
int sysctl_canonical(const char *key, char *out, size_t len, struct err *e);

/* Read @key in namespace @nsfd into @val (whitespace runs folded to one
 * space, no trailing newline).  Returns SYSCTL_OK, SYSCTL_ABSENT or -1. */
int sysctl_read(int nsfd, const char *key, char *val, size_t len, struct err *e);
/* Write @value; a value the kernel rejects is ERR_INPUT naming key and value. */
int sysctl_write(int nsfd, const char *key, const char *value, struct err *e);
/* Write, read back and compare (numerically where both are numbers).  The
 * value read back is left in @readback.  A kernel that stores something else
 * than was written is an error naming both. */
int sysctl_set(int nsfd, const char *key, const char *value, char *readback, size_t len,
               struct err *e);

/* Keys that sit in a network namespace's sysctl table but whose write
 * reaches beyond it (the table with the kernel source that shows it is in
 * sysctl.c).  sysctl_host_effect() says whether writing @value (NULL: any
 * value) to the canonical @key would change the host: SYSCTL_CONFINED, or
 * SYSCTL_HOST_KEY (never confined) / SYSCTL_HOST_VALUE (not with this
 * value) with the reason and its source in @why. */
enum sysctl_host { SYSCTL_CONFINED = 0, SYSCTL_HOST_KEY = 1, SYSCTL_HOST_VALUE = 2 };
int sysctl_host_effect(const char *key, const char *value, char *why, size_t len);

/* True when @a and @b denote the same sysctl value ("1  2" == "1\t2", "01" == "1"). */
int sysctl_value_equal(const char *a, const char *b);

#endif
