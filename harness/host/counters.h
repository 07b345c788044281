/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * counters.h - the SNMP and extended TCP counters of one network namespace
 * (/proc/net/snmp, /proc/net/netstat and /proc/net/snmp6 as seen from
 * inside it): "Tcp.OutRsts", "TcpExt.ListenDrops", "Ip6.InReceives".
 */
#ifndef TC_COUNTERS_H
#define TC_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct counter {
	char name[64]; /* "TcpExt.TCPAbortOnData" */
	int64_t value;
};

struct counters {
	struct counter *v;
	size_t n;
	size_t cap; /* entries allocated at v: grown by doubling (a file has hundreds) */
};

/* Read the files in namespace @nsfd.  Any failure is an error (e->errnum
 * set when a call failed); only snmp6's absence (no IPv6) is not. */
int counters_read(int nsfd, struct counters *c, struct err *e);
/* Parse the "Mib: names\nMib: values" pairs of one file's text (tests). */
int counters_parse(const char *text, struct counters *c);
/* Parse /proc/net/snmp6's "Ip6InReceives 12" lines into "Ip6.InReceives". */
int counters_parse6(const char *text, struct counters *c);
/* 0 and *v set, or -1 when the kernel has no such counter. */
int counters_get(const struct counters *c, const char *name, int64_t *v);
void counters_free(struct counters *c);

#endif
