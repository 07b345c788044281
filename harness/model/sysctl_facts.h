/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctl_facts.h - what tcpconform knows about sysctl keys beyond what the
 * running kernel says, each with its source: keys Linux removed (and in
 * which release), where a global key is registered and which cases its
 * host-wide value could change, and what the common TCP keys do, in plain
 * words (Documentation/networking/ip-sysctl.rst,
 * Documentation/admin-guide/sysctl/net.rst).
 *
 * Whether a key is per network namespace is not here: host/profile.c
 * learns it from the running kernel (a key a new namespace shows is per
 * namespace; one only the host's /proc/sys/net shows is global).
 */
#ifndef TC_SYSCTL_FACTS_H
#define TC_SYSCTL_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/scenario.h"

/* A key Linux once had and removed. */
struct sysctl_removed {
	const char *key, *release, *source;
};
const struct sysctl_removed *sysctl_removed_find(const char *key);

/* Which cases a global key's host-wide value could change: */
enum sysctl_reach {
	REACH_NONE,    /* none the catalogue has (with the reason) */
	REACH_ALL,     /* every case: every TCP socket is under it */
	REACH_CLOSE,   /* cases that close a connection (orphans) */
	REACH_FLOOD,   /* cases that send a burst (a SYN flood, a MiB's transfer) */
	REACH_BUFSIZE, /* cases that set SO_RCVBUF or SO_SNDBUF */
};

struct sysctl_global {
	const char *key;  /* a key, or a prefix ending in '.' */
	const char *what; /* what it governs, with the source that shows it global */
	enum sysctl_reach reach;
	const char *why; /* why those cases (or why none) */
};

/* What tcpconform knows of global key @key, or NULL. */
const struct sysctl_global *sysctl_global_find(const char *key);
/* Where the kernel registers @key in the initial namespace only: the
 * source file and table of a global key, by its prefix ("" if unknown). */
const char *sysctl_global_where(const char *key);
/* Could the host's value of @g change what case @sc observes? */
bool sysctl_global_reaches(const struct sysctl_global *g, const struct scenario *sc);

/* What @key does, in plain words with its source, or NULL. */
const char *sysctl_doc(const char *key);

#endif
