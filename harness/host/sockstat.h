/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sockstat.h - the TCP sockets one network namespace holds, as
 * /proc/net/sockstat and /proc/net/sockstat6 count them inside it:
 * "TCP: inuse N orphan N tw N alloc N mem N" and "TCP6: inuse N".
 * Only the per-namespace numbers are taken (net/ipv4/proc.c
 * sockstat_seq_show(): inuse is sock_prot_inuse_get(net, ...), tw the
 * namespace's timewait count); orphan, alloc and mem are the whole host's.
 */
#ifndef TC_SOCKSTAT_H
#define TC_SOCKSTAT_H

#include <stdint.h>

#include "base/error.h"

struct sockstat {
	int64_t inuse; /* hashed TCP sockets of the family asked for */
	int64_t tw;    /* timewait sockets of both families */
};

/* The value of @key in the line of @text that begins "@label: ", as in
 * "TCP: inuse 3 orphan 0 tw 1": 0 and *v set, or -1 when there is none. */
int sockstat_field(const char *text, const char *label, const char *key, int64_t *v);
/* Read namespace @nsfd's counts for @family (4 or 6).  A kernel without
 * IPv6 has no sockstat6: -1 with e->errnum ENOENT. */
int sockstat_read(int nsfd, int family, struct sockstat *s, struct err *e);

#endif
