/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctl_conf.h - the lines of a sysctl.conf, a sysctl.d file or the
 * output of `sysctl -a`, as sysctl.d(5) and sysctl.conf(5) define them:
 *
 *   # comment            ; comment
 *   net.ipv4.tcp_tw_reuse = 1
 *   net/ipv4/tcp_fin_timeout=15          slash form
 *   -net.ipv4.tcp_tw_recycle = 1         '-': a failure to set it is ignored
 *   net.ipv4.conf.*.rp_filter = 2        a glob: every matching key
 *   -net.ipv4.conf.all.rp_filter         '-' and no '=': kept out of every glob
 *   client:net.ipv4.tcp_syn_retries = 3  one endpoint only (tcpconform's own)
 *
 * Real files mix keys of every kind, so a line that is no setting is not an
 * error here: it is kept with its problem (and the column the problem is
 * at), for the profile to list or, under --strict, to refuse.  Only what
 * makes the input no text at all (a NUL byte) or too large (more than
 * @max lines kept) is an error.  Pure (model/): the files are read by
 * host/profile.c.
 */
#ifndef TC_SYSCTL_CONF_H
#define TC_SYSCTL_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "model/caseline.h"
#include "model/sysctl_key.h"

struct sysctl_entry {
	unsigned file;            /* the caller's index of the file it came from */
	unsigned line, col, vcol; /* where the key and the value start (1-based) */
	unsigned pcol;            /* where @problem is */
	enum side side;           /* SIDE_BOTH unless client: or server: */
	bool may_fail;            /* '-KEY = VALUE': a failure to set it is ignored */
	bool exclude;             /* '-KEY' alone: KEY is kept out of every glob */
	bool glob;                /* KEY is a pattern ('*', '?', '[') */
	char key[SC_KEY_MAX];     /* dotted (sysctl_normalize()), or as written */
	char value[SYSCTL_VALUE_MAX];
	char problem[200]; /* why the line is no setting; "" when it is one */
};

/* The entries of one or more files, in the order they were read. */
struct sysctl_entries {
	struct sysctl_entry *v;
	size_t n, cap; /* filled, room (base/array.h) */
};

/* The lines of @text (from @file, index @fileidx) appended to @to.
 * ERR_INPUT at file:line:col for a NUL byte or more than @max entries in
 * all; ERR_SYSTEM out of memory. */
int sysctl_conf_parse(const char *text, size_t len, const char *file, unsigned fileidx, size_t max,
                      struct sysctl_entries *to, struct err *e);

#endif
