/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysctls.h - a variant's sysctls: written in both namespaces as its case,
 * its axes and a sysctl profile say, and every TCP sysctl read back, into
 * the "sysctls" of observed.json (tables choose rows by them).
 */
#ifndef TC_SYSCTLS_H
#define TC_SYSCTLS_H

#include <stddef.h>

#include "run/player.h"

/* Write them, the case's lines first, then the axes' values, then the
 * profile's lines (last, so they win): 0, 1 when a key is absent on this
 * kernel (the variant is skipped: why in @skip), -1 on an error. */
int sysctls_apply(struct player *p, char *skip, size_t skiplen);
/* Every TCP sysctl as read back on both sides, so tables can condition on
 * values the case did not set (a new namespace starts from the kernel's
 * defaults, not from the host's). */
int sysctls_read_back(struct player *p);

#endif
