/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctl_key.h - sysctl keys and values, as sysctl(8) writes them:
 * "net.ipv4.tcp_tw_reuse" or "net/ipv4/tcp_tw_reuse".  Only net.* keys are
 * accepted: those are the ones a network namespace has its own copy of.
 * Pure (model/): reading and writing them is host/sysctl.h's.
 */
#ifndef TC_SYSCTL_KEY_H
#define TC_SYSCTL_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define SYSCTL_VALUE_MAX 256

/* Map @key to its /proc/sys path (sysctl(8) rules: the first separator
 * decides whether '.' or '/' separates).  ERR_INPUT for a malformed key or
 * one outside net.*. */
int sysctl_path(const char *key, char *path, size_t len, struct err *e);
/* The dotted form sysctl(8) prints ("net.ipv4.tcp_tw_reuse"). */
int sysctl_canonical(const char *key, char *out, size_t len, struct err *e);
/* The same for any key, net.* or not (a sysctl.conf names kernel.*, vm.*,
 * fs.* too), glob characters kept: what a profile reports a key as. */
int sysctl_normalize(const char *key, char *out, size_t len, struct err *e);
/* The /proc/sys path of any such key (globs kept, for glob(3)). */
int sysctl_path_any(const char *key, char *path, size_t len, struct err *e);
/* Is the dotted @key one a network namespace can have its own copy of? */
bool sysctl_is_net(const char *key);
/* Does @key hold a glob pattern (systemd-sysctl's: '*', '?', '[')? */
bool sysctl_is_glob(const char *key);
/* Does the pattern match @key, component by component ('*' never crosses a
 * separator, as glob(7) expands /proc/sys paths)? */
bool sysctl_glob_match(const char *pattern, const char *key);

/* Keys that sit in a network namespace's sysctl table but whose write
 * reaches beyond it (the table with the kernel source that shows it is in
 * sysctl_key.c).  sysctl_host_effect() says whether writing @value (NULL: any
 * value) to the canonical @key would change the host: SYSCTL_CONFINED, or
 * SYSCTL_HOST_KEY (never confined) / SYSCTL_HOST_VALUE (not with this
 * value) with the reason and its source in @why. */
enum sysctl_host { SYSCTL_CONFINED = 0, SYSCTL_HOST_KEY = 1, SYSCTL_HOST_VALUE = 2 };
int sysctl_host_effect(const char *key, const char *value, char *why, size_t len);

/* True when @a and @b denote the same sysctl value ("1  2" == "1\t2", "01" == "1"). */
int sysctl_value_equal(const char *a, const char *b);

/* The host's tcp_allowed_congestion_control, space-separated (NULL:
 * unreadable): host/sysctl.c sysctl_learn_host() hands it over. */
void sysctl_key_set_allowed_cc(const char *list);

#endif
