/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile.h - sysctl profiles: an operator's tuning in sysctl.conf syntax,
 * applied inside the endpoint namespaces of every variant.
 *
 *   # comment            ; comment
 *   net.ipv4.tcp_tw_reuse = 1
 *   net/ipv4/tcp_fin_timeout=15          slash form, as sysctl(8) takes it
 *   -net.ipv4.tcp_tw_recycle = 1         '-': a line that fails is skipped
 *   client:net.ipv4.tcp_syn_retries = 3  one side only (server: likewise)
 *
 * profile_parse() checks the syntax; profile_check() asks the kernel, in a
 * throwaway namespace, whether each line can be applied per namespace:
 * unknown keys, keys that are global on this kernel (tcp_mem,
 * tcp_max_orphans), keys this kernel no longer has (tcp_tw_recycle since
 * 4.12) and values the kernel rejects are errors at file:line:col.  Keys
 * whose write would reach the host from inside a namespace
 * (sysctl_host_effect(): tcp_allowed_congestion_control, an algorithm not
 * loaded and allowed for tcp_congestion_control) are refused before the
 * kernel is asked.  The host's own values are only ever read.
 */
#ifndef TC_PROFILE_H
#define TC_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "model/scenario.h"

struct profile_line {
	unsigned line, col, vcol; /* where the key and the value start */
	enum side side;           /* SIDE_BOTH unless client: or server: */
	bool may_fail;            /* '-' prefix */
	bool skipped;             /* may_fail and the kernel refused it */
	char key[SC_KEY_MAX];     /* dotted, as sysctl(8) prints it */
	char value[SC_VALUE_MAX];
	char note[256]; /* why a '-' line was skipped */
};

struct profile {
	char file[512];
	struct profile_line *lines;
	size_t n;
};

int profile_parse(const char *text, size_t len, const char *file, struct profile *pr,
                  struct err *e);
int profile_load(const char *path, struct profile *pr, struct err *e);
/* Ask the kernel about every line (see above).  ERR_INPUT at file:line:col
 * for the first line that cannot be applied; ERR_ENV when no namespace can
 * be made to ask in. */
int profile_check(struct profile *pr, struct err *e);
void profile_free(struct profile *pr);

/* The same keys and sides at the values a new namespace starts with:
 * the kernel's defaults, the baseline a profile is compared with. */
int profile_defaults(const struct profile *pr, struct profile *out, struct err *e);

/* Make @sc run under @pr: every applied line is set after the case's own
 * sysctls and axes, so it wins; an axis over a key the profile sets (on the
 * axis' side) collapses to the profile's value and leaves the variant names. */
int profile_apply(const struct profile *pr, struct scenario *sc, struct err *e);

/* The lines, for summary.json: file, and per line side, key, value. */
json_t *profile_json(const struct profile *pr);
/* "FILE:LINE: skipped ('-'): why" for each '-' line the kernel refused. */
void profile_print_skipped(const struct profile *pr, FILE *f);

#endif
